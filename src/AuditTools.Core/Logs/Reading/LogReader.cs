using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace AuditTools.Logs.Reading
{
    /// <summary>
    /// Reads log files or objects on worker threads, several at a time, and hands their records and problems to the
    /// one thread that enumerates <see cref="Read"/>, in input order: every record of a source in its order, sources in
    /// the order given. That thread (a cmdlet's pipeline thread) writes while the workers read and parse.
    /// </summary>
    /// <remarks>
    /// Memory stays bounded: each source in flight holds at most <see cref="ChunksPerSource"/> chunks of
    /// <see cref="ChunkSize"/> messages, and workers run at most a few sources ahead of the one being written.
    /// Ending the enumeration early (Select-Object -First, an error downstream) or cancelling the token (Ctrl+C) stops
    /// the workers, and the enumeration ends only when every worker has ended.
    /// </remarks>
    /// <typeparam name="T">The record type.</typeparam>
    public sealed class LogReader<T>
        where T : class
    {
        /// <summary>Messages handed over at a time.</summary>
        public const int ChunkSize = 256;

        /// <summary>Chunks a source may hold ahead of the writing thread.</summary>
        public const int ChunksPerSource = 16;

        private readonly LogFormat<T> format;
        private readonly Func<T, bool>? filter;

        /// <summary>Creates a reader of <paramref name="format"/> that reads <paramref name="parallelism"/> sources at a time and keeps the records <paramref name="filter"/> accepts.</summary>
        public LogReader(LogFormat<T> format, int parallelism, Func<T, bool>? filter = null)
        {
            this.format = format ?? throw new ArgumentNullException(nameof(format));
            Parallelism = Math.Max(1, parallelism);
            this.filter = filter;
        }

        /// <summary>Sources read at a time.</summary>
        public int Parallelism { get; }

        /// <summary>A sensible number of files to parse at a time on this machine: its processors, at most 8.</summary>
        public static int DefaultParallelism => Math.Max(1, Math.Min(Environment.ProcessorCount, 8));

        /// <summary>The messages of the inputs, in order. Enumerate on one thread.</summary>
        public IEnumerable<LogReadMessage<T>> Read(IEnumerable<LogInput> inputs, CancellationToken cancellationToken)
        {
            if (inputs == null)
            {
                throw new ArgumentNullException(nameof(inputs));
            }

            return ReadOrdered(inputs, cancellationToken);
        }

        private IEnumerable<LogReadMessage<T>> ReadOrdered(IEnumerable<LogInput> inputs, CancellationToken cancellationToken)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var run = new Run(this, inputs.GetEnumerator(), stop.Token);
            var workers = new Task[Parallelism];
            for (int i = 0; i < workers.Length; i++)
            {
                workers[i] = Task.Factory.StartNew(run.Work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            }

            try
            {
                foreach (Slot slot in run.Slots.GetConsumingEnumerable(stop.Token))
                {
                    foreach (List<LogReadMessage<T>> chunk in slot.Chunks.GetConsumingEnumerable(stop.Token))
                    {
                        foreach (LogReadMessage<T> message in chunk)
                        {
                            yield return message;
                        }
                    }

                    slot.Failure?.Throw();
                }

                run.Failure?.Throw();
            }
            finally
            {
                stop.Cancel();
                try
                {
                    Task.WaitAll(workers);
                }
                catch (AggregateException)
                {
                    // Failures were handed over in the slots; cancellations are expected here.
                }

                run.DisposeSlots();
            }
        }

        private sealed class Slot
        {
            internal BlockingCollection<List<LogReadMessage<T>>> Chunks { get; } = new BlockingCollection<List<LogReadMessage<T>>>(ChunksPerSource);

            internal ExceptionDispatchInfo? Failure { get; set; }
        }

        /// <summary>The state the workers of one read share.</summary>
        private sealed class Run : IDisposable
        {
            private readonly LogReader<T> owner;
            private readonly IEnumerator<LogInput> inputs;
            private readonly CancellationToken stop;
            private readonly object gate = new object();
            private readonly List<Slot> allSlots = new List<Slot>();
            private bool inputEnded;
            private int working;

            internal Run(LogReader<T> owner, IEnumerator<LogInput> inputs, CancellationToken stop)
            {
                this.owner = owner;
                this.inputs = inputs;
                this.stop = stop;
                working = owner.Parallelism;
                Slots = new BlockingCollection<Slot>((2 * owner.Parallelism) + 2);
            }

            internal BlockingCollection<Slot> Slots { get; }

            internal ExceptionDispatchInfo? Failure { get; private set; }

            public void Dispose() => inputs.Dispose();

            internal void DisposeSlots()
            {
                lock (gate)
                {
                    foreach (Slot slot in allSlots)
                    {
                        slot.Chunks.Dispose();
                    }
                }

                Slots.Dispose();
            }

            internal void Work()
            {
                LogFormatParser<T>? parser = null;
                try
                {
                    while (!stop.IsCancellationRequested)
                    {
                        LogInput input;
                        var slot = new Slot();
                        lock (gate)
                        {
                            if (inputEnded || !inputs.MoveNext())
                            {
                                inputEnded = true;
                                break;
                            }

                            input = inputs.Current;
                            allSlots.Add(slot);
                            Slots.Add(slot, stop); // under the lock: slots are handed over in input order
                        }

                        try
                        {
                            parser ??= owner.format.CreateParser();
                            new SourceRead(owner, slot, stop).Run(input, parser);
                        }
                        catch (OperationCanceledException) when (stop.IsCancellationRequested)
                        {
                            break;
                        }
                        catch (Exception ex)
                        {
                            slot.Failure = ExceptionDispatchInfo.Capture(ex);
                        }
                        finally
                        {
                            slot.Chunks.CompleteAdding();
                        }
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                }
                catch (Exception ex)
                {
                    // Finding the next input failed (not a file's fault): the read ends with it.
                    Failure = ExceptionDispatchInfo.Capture(ex);
                    lock (gate)
                    {
                        inputEnded = true;
                    }
                }
                finally
                {
                    parser?.Dispose();
                    if (Interlocked.Decrement(ref working) == 0)
                    {
                        Slots.CompleteAdding();
                    }
                }
            }
        }

        /// <summary>The read of one input into its slot, in chunks.</summary>
        private sealed class SourceRead
        {
            private readonly LogReader<T> owner;
            private readonly Slot slot;
            private readonly CancellationToken stop;
            private List<LogReadMessage<T>> chunk = new List<LogReadMessage<T>>(ChunkSize);

            internal SourceRead(LogReader<T> owner, Slot slot, CancellationToken stop)
            {
                this.owner = owner;
                this.slot = slot;
                this.stop = stop;
            }

            internal void Run(LogInput input, LogFormatParser<T> parser)
            {
                LogSource? source = input.Source;
                if (source == null)
                {
                    Add(LogReadMessage<T>.ForProblem(input.Problem!, null, input.Exception));
                    Flush();
                    return;
                }

                LogFormat<T> format = owner.format;
                if (format.Skip(source) is LogProblem skipped)
                {
                    Add(LogReadMessage<T>.ForProblem(skipped, source));
                    Flush();
                    return;
                }

                Add(LogReadMessage<T>.Started(source));
                Flush();
                var position = new FileReadPosition();
                long read = 0;
                long rejected = 0;
                int progressEvery = format.ProgressEvery;
                Func<T, bool>? filter = owner.filter;
                try
                {
                    using Stream stream = source.Open(position, stop);
                    foreach (LogReadMessage<T> message in parser.Parse(stream, source))
                    {
                        if (message.Kind == LogReadMessageKind.Record)
                        {
                            read++;
                            if (filter == null || filter(message.Record!))
                            {
                                Add(message);
                            }
                        }
                        else
                        {
                            if (message.Problem?.Severity == LogProblemSeverity.Error)
                            {
                                rejected++;
                            }

                            Add(message);
                        }

                        if (progressEvery > 0 && (read + rejected) % progressEvery == 0)
                        {
                            Add(LogReadMessage<T>.ForProgress(source, read, rejected, position));
                        }
                    }
                }
                catch (LogSourceException ex)
                {
                    Add(LogReadMessage<T>.ForProblem(new LogProblem(LogProblemSeverity.Error, ex.ErrorId, source.Name, ex.Message), source, ex, source.Name));
                    rejected++;
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is InvalidDataException)
                {
                    Add(format.Unreadable(source, ex));
                    rejected++;
                }

                Add(LogReadMessage<T>.Completed(source, read, rejected));
                Flush();
            }

            private void Add(LogReadMessage<T> message)
            {
                chunk.Add(message);
                if (chunk.Count == ChunkSize)
                {
                    Flush();
                }
            }

            private void Flush()
            {
                if (chunk.Count > 0)
                {
                    slot.Chunks.Add(chunk, stop);
                    chunk = new List<LogReadMessage<T>>(ChunkSize);
                }
            }
        }
    }
}
