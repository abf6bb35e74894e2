using System;
using BenchmarkDotNet.Running;

namespace AuditTools.Benchmarks
{
    internal static class Program
    {
        private static int Main(string[] args)
        {
            if (args.Length > 0 && args[0] == "throughput")
            {
                return Throughput.Run(args);
            }

            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
            return 0;
        }
    }
}
