using System;

namespace AuditTools.Logs.CloudTrail
{
    /// <summary>Limits of CloudTrail reading, shared by <see cref="CloudTrailReader"/> and <see cref="CloudTrailTextParser"/>.</summary>
    public sealed class CloudTrailReaderOptions
    {
        /// <summary>The default maximum event size: 8 MiB, 32 times the 256 KB AWS allows for one event.</summary>
        public const int DefaultMaxEventBytes = 8 * 1024 * 1024;

        /// <summary>The smallest maximum event size that may be set: 1 KiB.</summary>
        public const int MinimumMaxEventBytes = 1024;

        private int maxEventBytes = DefaultMaxEventBytes;

        /// <summary>
        /// The largest event, in bytes of (decompressed) UTF-8 JSON, that is read. A longer one (or any other JSON
        /// value that has to be held whole, such as a CloudWatch Logs message) is one CloudTrailEventTooLarge error
        /// naming the input and the byte offset; it is skipped without being held, and reading goes on after it.
        /// Memory of a reader stays within about twice this, whatever the input. Default <see cref="DefaultMaxEventBytes"/>.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">Less than <see cref="MinimumMaxEventBytes"/> or more than 1 GiB.</exception>
        public int MaxEventBytes
        {
            get => maxEventBytes;
            set
            {
                if (value < MinimumMaxEventBytes || value > (1 << 30))
                {
                    throw new ArgumentOutOfRangeException(nameof(value), value, $"The maximum event size must be between {MinimumMaxEventBytes} bytes and 1 GiB.");
                }

                maxEventBytes = value;
            }
        }
    }
}
