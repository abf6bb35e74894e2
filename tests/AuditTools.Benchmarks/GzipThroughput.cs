using System;
using System.IO;
using System.Linq;
using AuditTools.Logs;

namespace AuditTools.Benchmarks
{
    /// <summary>
    /// <c>throughput gunzip &lt;file-or-folder&gt;</c>: every gzip file decompressed and checked as the module reads it
    /// (<see cref="GzipVerifyingStream"/>, zlib called directly where the runtime allows), on one thread; its lines
    /// counted. <c>gunzip-deflatestream</c> is the same through DeflateStream, for
    /// <c>compare gunzip gunzip-deflatestream &lt;path&gt; 7 1</c>.
    /// </summary>
    internal class GzipThroughput : IThroughputKind
    {
        public virtual string Name => "gunzip";

        protected virtual bool Native => NativeInflater.Available;

        public (long Records, long Errors, long Bytes) Run(string path)
        {
            string[] files = Directory.Exists(path) ? Directory.GetFiles(path, "*.gz", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal).ToArray() : new[] { path };
            var buffer = new byte[256 * 1024];
            long lines = 0, bytes = 0;
            foreach (string file in files)
            {
                using var stream = new GzipVerifyingStream(File.OpenRead(file), Native);
                int n;
                while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
                {
                    lines += buffer.AsSpan(0, n).Count((byte)'\n');
                }

                bytes += new FileInfo(file).Length;
            }

            return (lines, 0, bytes);
        }
    }

    /// <summary><c>throughput gunzip-deflatestream &lt;file-or-folder&gt;</c>: as <c>gunzip</c>, decompressed by DeflateStream.</summary>
    internal sealed class GzipDeflateStreamThroughput : GzipThroughput
    {
        public override string Name => "gunzip-deflatestream";

        protected override bool Native => false;
    }
}
