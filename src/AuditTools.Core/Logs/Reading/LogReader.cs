using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace AuditTools.Logs.Reading
{
    /// <summary>
    /// Reads log files or objects on worker threads and hands their records and problems to the one thread that
    /// enumerates <see cref="Read"/>, in input order: every record of a source in its order, sources in the order
    /// given. That thread (a cmdlet's pipeline thread) writes while the workers read and parse.
    /// </summary>
    /// <remarks>
    /// <para>A format of lines (S3 server access logs) is read in blocks: one worker at a time reads (downloads,
    /// decompresses) a source and cuts it at line breaks into blocks of about <see cref="BlockSize"/> bytes. The
    /// writing thread parses its next block itself when no worker has, handing each record on as it is made; the
    /// workers parse blocks ahead of it only when the writer's caller takes long with each record (a pipeline's cmdlets:
    /// more than a few microseconds of processor time) or when the filter drops most records. Records parsed ahead wait
    /// in lists, alive: many records surviving each garbage collection make the collector grow its youngest generation
    /// beyond the processor's cache and copy them, which costs every thread more than the parsing the workers would
    /// take over from a writer that keeps up. While the writer parses, it keeps a processor busy, so at most
    /// <c>processors - 1</c> workers read local files at once (<see cref="LogSource.ProcessorBound"/>): a third thread
    /// on two processors made every thread slower than the two alone (the benchmarks' results, log-reading.md); the
    /// other workers wait apart until one of them is needed. Downloads, which wait on the network, are not held
    /// back. Either way the writing thread puts the blocks back in order, so the
    /// workers share one large file, plain or gzip, as well as many small ones, and the line numbers, records and
    /// problems are exactly those of reading the file on one thread. Other formats (CloudTrail, one JSON document per
    /// file) are parsed a source per worker.</para>
    /// <para>Memory stays bounded: at most <see cref="Parallelism"/> sources are open at a time; the blocks of lines cut
    /// but not yet written (counted by their buffers, so that the many blocks of small objects, each less than a buffer,
    /// count what they hold) are at most <see cref="AheadBytes"/> bytes for the source being written and as much again for the
    /// sources after it, plus the block each worker is cutting. They are held as bytes: the workers parse at most
    /// <see cref="Parallelism"/> + 2 blocks ahead of the writer, and the blocks of a source only once the sources before
    /// it have been read to their end and parsed. A source parsed whole holds at most <see cref="ChunksPerSource"/>
    /// chunks of <see cref="ChunkSize"/> messages, and <see cref="SlowCallerChunksPerSource"/> while the writer's caller
    /// takes long with each record: then the events wait for the caller however far ahead they are parsed, and the
    /// fewer wait, the fewer survive each collection. The chunks of the sources after the one being written count in
    /// the same budget as blocks of lines (<see cref="AheadBytes"/>, about a kilobyte a message), so that workers that
    /// parse sources to their end do not go on through a whole folder ahead of a slow writer.</para>
    /// <para>Ending the enumeration early (Select-Object -First, an error downstream) or cancelling the token (Ctrl+C)
    /// stops the workers, and the enumeration ends only when every worker has ended and every source is closed.</para>
    /// </remarks>
    /// <typeparam name="T">The record type.</typeparam>
    public sealed class LogReader<T>
        where T : class
    {
        /// <summary>Messages handed over at a time by a source parsed whole.</summary>
        public const int ChunkSize = 256;

        /// <summary>Chunks a source parsed whole may hold ahead of the writing thread.</summary>
        public const int ChunksPerSource = 16;

        /// <summary>Chunks a source parsed whole may hold ahead of the writing thread while the writer's caller takes long with each record.</summary>
        /// <remarks>
        /// Behind a pipeline of cmdlets (a few microseconds a record and more) the workers parse faster than the records
        /// are taken, so the chunks ahead are always full and each event waits for all of them: 16 chunks of 256 events
        /// (about 5 MB) outlived several of the collector's youngest generations, and copying them into the older ones
        /// took 5.7 s of a 13.5 s <c>ConvertFrom-CloudTrailLog | Measure-Object</c> of 2 million events in pwsh (the
        /// benchmarks' results, cloudtrail-log.md). Two chunks keep a worker ahead of such a caller.
        /// </remarks>
        public const int SlowCallerChunksPerSource = 2;

        /// <summary>The size of the blocks of lines a source read in blocks is cut into, in bytes (a longer line makes a longer block).</summary>
        public const int BlockSize = 256 * 1024;

        /// <summary>Bytes of blocks of lines (their buffers) cut and not yet written that the source being written may hold, and the sources after it together.</summary>
        /// <remarks>
        /// The inflate of a gzip source cannot be shared, so the writer waits for it whenever the source it writes has
        /// not been cut far enough ahead; meanwhile the other workers cut the sources after it until this budget is
        /// full, and then wait too. 32 MB keeps them working more of that time than 16 MB did (about 1.78 cores used
        /// of two instead of 1.72, in the benchmarks' results, log-reading.md).
        /// </remarks>
        public const int AheadBytes = 32 * 1024 * 1024;

        // When the writer's caller (a pipeline's cmdlets) takes longer than this with each record, the workers parse
        // ahead of it: parsing a record costs well under a microsecond, so the writer's own parsing is then a small
        // part of its time, and it would spend it while the workers wait.
        private const double SlowWriterSecondsPerRecord = 5e-6;

        // When the writer's caller takes longer than this with each record, it is slower than the workers that parse
        // sources whole (a CloudTrail event costs one about 2.5 microseconds of processor time, and there are two or
        // more), so their chunks ahead fill and wait: such a source then holds SlowCallerChunksPerSource chunks. Any
        // pipeline of cmdlets takes longer; a loop that only counts the records measures about 0.6 microseconds here
        // (what reading the clock adds beyond its calibrated cost).
        private const double CallerBehindSecondsPerRecord = 1.5e-6;

        // One record in this many is timed while the writer's caller has it (two clock readings, each a system call).
        private const int DownstreamSampleEvery = 256;

        // Records timed before the time decides (until then the writer parses its blocks itself).
        private const int MinimumDownstreamSamples = 5;

        // What a source, a problem or a block counts in the budget besides its bytes, so that many empty files do not
        // pile up ahead of the writer.
        private const int Overhead = 1024;

        // What each message of a source parsed whole counts in the budget while it waits for the writer: about what a
        // CloudTrail event holds (1.2 KB in the benchmarks' allocation figures). Without it a worker that had parsed a
        // source to its end went on to the next whenever the writer's caller was slower than the workers, and could
        // parse a whole folder ahead of it.
        private const int WholeSourceMessageBytes = 1024;

        private readonly LogFormat<T> format;
        private readonly Func<T, bool>? filter;
        private readonly int blockSize;
        private readonly long aheadBytes;
        private readonly int localReaders;
        private readonly int slowCallerChunks;

        /// <summary>Creates a reader of <paramref name="format"/> that reads <paramref name="parallelism"/> sources at a time and keeps the records <paramref name="filter"/> accepts.</summary>
        public LogReader(LogFormat<T> format, int parallelism, Func<T, bool>? filter = null)
            : this(format, parallelism, filter, BlockSize, AheadBytes)
        {
        }

        /// <summary>
        /// Creates a reader with other block and budget sizes (tests cut small inputs into many blocks), workers that read
        /// local files at once, and chunks a source parsed whole holds behind a slow caller (0: the defaults).
        /// </summary>
        internal LogReader(LogFormat<T> format, int parallelism, Func<T, bool>? filter, int blockSize, long aheadBytes, int localReaders = 0, int slowCallerChunks = 0)
        {
            this.format = format ?? throw new ArgumentNullException(nameof(format));
            Parallelism = Math.Max(1, parallelism);
            this.localReaders = localReaders > 0 ? localReaders : DefaultLocalReaders;
            this.filter = filter;
            this.blockSize = Math.Max(16, blockSize);
            this.aheadBytes = Math.Max(1, aheadBytes);
            this.slowCallerChunks = slowCallerChunks > 0 ? slowCallerChunks : SlowCallerChunksPerSource;
        }

        /// <summary>Workers, and sources read at a time.</summary>
        public int Parallelism { get; }

        /// <summary>Workers that read local files at once while the writing thread parses its blocks: one processor is the writer's.</summary>
        internal static int DefaultLocalReaders => Math.Max(1, Environment.ProcessorCount - 1);

        /// <summary>A sensible number of workers on this machine: its processors, at most 8.</summary>
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
            var run = new Run(this, inputs.GetEnumerator(), stop.Token);
            using CancellationTokenRegistration wake = stop.Token.Register(run.WakeAll);
            var workers = new Task[Parallelism];
            for (int i = 0; i < workers.Length; i++)
            {
                workers[i] = Task.Factory.StartNew(run.Work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            }

            try
            {
                int progressEvery = format.ProgressEvery;
                long sampleCount = 0;
                SourceRun? current;
                while ((current = run.NextSource()) != null)
                {
                    LogSource? source = current.Source;
                    if (source == null)
                    {
                        yield return LogReadMessage<T>.ForProblem(current.Input.Problem!, null, current.Input.Exception);
                        run.Written(current);
                        continue;
                    }

                    if (current.Skipped != null)
                    {
                        yield return LogReadMessage<T>.ForProblem(current.Skipped, source);
                        run.Written(current);
                        continue;
                    }

                    yield return LogReadMessage<T>.Started(source);
                    long read = 0;
                    long rejected = 0;
                    bool noted = false;
                    while (true)
                    {
                        Chunk? chunk = run.NextChunk(current, out Unit? toParse);
                        if (toParse != null)
                        {
                            // Parsed here, each message written as it is made: a record is used and dropped before the
                            // next is made, as on one thread, instead of waiting in a list of the block's records
                            // (records that wait survive collections, and a collector that sees many survive
                            // grows its youngest generation beyond the processor's cache, which slows every thread).
                            LogBlock block = toParse.Block!;
                            long blockRead = 0;
                            long blockRejected = 0;
                            long blockKept = 0;
                            ExceptionDispatchInfo? failure = null;
                            IEnumerator<LogReadMessage<T>> parsed = run.WriterParser.ParseBlock(block).GetEnumerator();
                            try
                            {
                                while (true)
                                {
                                    LogReadMessage<T> message;
                                    try
                                    {
                                        if (!parsed.MoveNext())
                                        {
                                            break;
                                        }

                                        message = parsed.Current;
                                    }
                                    catch (Exception ex)
                                    {
                                        failure = ExceptionDispatchInfo.Capture(ex);
                                        break;
                                    }

                                    if (message.Kind == LogReadMessageKind.Record)
                                    {
                                        blockRead++;
                                        if (filter != null && !filter(message.Record!))
                                        {
                                            continue;
                                        }

                                        blockKept++;
                                    }
                                    else
                                    {
                                        if (message.Problem?.Severity == LogProblemSeverity.Error)
                                        {
                                            blockRejected++;
                                        }

                                        if (message.Kind == LogReadMessageKind.Problem && format.OncePerSource(message.Problem!))
                                        {
                                            if (noted)
                                            {
                                                continue;
                                            }

                                            noted = true;
                                        }
                                    }

                                    if (++sampleCount % DownstreamSampleEvery != 0)
                                    {
                                        yield return message;
                                        continue;
                                    }

                                    long handedAt = Run.DownstreamClock();
                                    yield return message;
                                    run.Downstream(handedAt);
                                }
                            }
                            finally
                            {
                                parsed.Dispose();
                                run.BlockWritten(current, toParse, block.EndsSource);
                            }

                            run.Measure(blockRead + blockRejected, blockKept);
                            if (failure != null && !current.Stopped)
                            {
                                failure.Throw();
                            }

                            long beforeBlock = read + rejected;
                            read += blockRead;
                            rejected += blockRejected;
                            if (progressEvery > 0 && (read + rejected) / progressEvery != beforeBlock / progressEvery)
                            {
                                yield return LogReadMessage<T>.ForProgress(source, read, rejected, toParse.Position, toParse.Length);
                            }

                            continue;
                        }

                        if (chunk == null)
                        {
                            break;
                        }

                        List<T> records = chunk.Messages.Records;
                        List<(int At, LogReadMessage<T> Message)>? others = chunk.Messages.Others;
                        int other = 0;
                        for (int r = 0; r <= records.Count; r++)
                        {
                            while (others != null && other < others.Count && others[other].At == r)
                            {
                                LogReadMessage<T> message = others[other++].Message;
                                if (message.Kind == LogReadMessageKind.Problem && format.OncePerSource(message.Problem!))
                                {
                                    if (noted)
                                    {
                                        continue;
                                    }

                                    noted = true;
                                }

                                yield return message;
                            }

                            if (r < records.Count)
                            {
                                // The chunk lets go of each record once written: the caller may keep it or drop it,
                                // and a dropped one must not live on, held by the chunk, until the chunk's last.
                                T record = records[r];
                                records[r] = null!;
                                if (++sampleCount % DownstreamSampleEvery != 0)
                                {
                                    yield return LogReadMessage<T>.ForRecord(record, source);
                                    continue;
                                }

                                long handedAt = Run.DownstreamClock();
                                yield return LogReadMessage<T>.ForRecord(record, source);
                                run.Downstream(handedAt);
                            }
                        }

                        run.Measure(chunk.Read + chunk.Rejected, records.Count);
                        long before = read + rejected;
                        read += chunk.Read;
                        rejected += chunk.Rejected;
                        if (progressEvery > 0 && (read + rejected) / progressEvery != before / progressEvery)
                        {
                            yield return LogReadMessage<T>.ForProgress(source, read, rejected, chunk.Position, chunk.Length);
                        }
                    }

                    yield return LogReadMessage<T>.Completed(source, read, rejected);
                    run.Written(current);
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
                    // Failures were handed over with the sources; cancellations are expected here.
                }

                run.Dispose();
            }
        }

        /// <summary>
        /// Messages of one source in order, its records held as references: a message is a struct of ten fields, and
        /// the records are nearly all of them (a block's list of messages would be 72 bytes a record, allocated and
        /// held until written).
        /// </summary>
        private sealed class Batch
        {
            private readonly LogSource source;

            internal Batch(LogSource source, int capacity)
            {
                this.source = source;
                Records = new List<T>(capacity);
            }

            internal List<T> Records { get; }

            /// <summary>The other messages (problems, a record of another source), each with the number of records before it.</summary>
            internal List<(int At, LogReadMessage<T> Message)>? Others { get; private set; }

            internal int Count => Records.Count + (Others?.Count ?? 0);

            internal void Add(LogReadMessage<T> message)
            {
                if (message.Kind == LogReadMessageKind.Record && ReferenceEquals(message.Source, source))
                {
                    Records.Add(message.Record!);
                }
                else
                {
                    (Others ??= new List<(int, LogReadMessage<T>)>()).Add((Records.Count, message));
                }
            }
        }

        /// <summary>Messages handed to the writing thread at once, with the counts they stand for.</summary>
        private sealed class Chunk
        {
            internal Chunk(Batch messages, long read, long rejected, long position, long length)
            {
                Messages = messages;
                Read = read;
                Rejected = rejected;
                Position = position;
                Length = length;
            }

            internal Batch Messages { get; }

            /// <summary>Records read (before filtering) for these messages.</summary>
            internal long Read { get; }

            /// <summary>Errors among these messages.</summary>
            internal long Rejected { get; }

            /// <summary>Stored bytes of the source read when these messages were cut.</summary>
            internal long Position { get; }

            internal long Length { get; }

            /// <summary>What the chunk counts in the budget until the writer takes it (a chunk of a source parsed whole).</summary>
            internal long Cost { get; set; }
        }

        /// <summary>A part of a source's output in order: a block of lines to parse, a problem, or the whole of a source parsed as one stream.</summary>
        private sealed class Unit
        {
            internal LogBlock? Block { get; set; }

            /// <summary>The pooled buffer behind <see cref="Block"/>, given back when it is parsed.</summary>
            internal byte[]? Buffer { get; set; }

            /// <summary>What the unit counts in the budget until it is written.</summary>
            internal long Bytes { get; set; }

            internal bool NeedsParse { get; set; }

            /// <summary>Taken by a worker to parse: counted among the blocks parsed ahead of the writer until written.</summary>
            internal bool Parsed { get; set; }

            internal Queue<Chunk> Chunks { get; } = new Queue<Chunk>();

            internal bool Complete { get; set; }

            internal bool EndsSource { get; set; }

            internal ExceptionDispatchInfo? Failure { get; set; }

            internal long Position { get; set; }

            internal long Length { get; set; }
        }

        /// <summary>One input of the read: its units in order, and the state of its reading.</summary>
        private sealed class SourceRun
        {
            internal SourceRun(LogInput input, int index)
            {
                Input = input;
                Index = index;
            }

            internal LogInput Input { get; }

            internal LogSource? Source => Input.Source;

            /// <summary>Read in blocks from a local file: its reader counts among the workers that read local files at once.</summary>
            internal bool CutsLocally { get; set; }

            internal int Index { get; }

            internal LogProblem? Skipped { get; set; }

            internal List<Unit?> Units { get; } = new List<Unit?>();

            internal int NextToParse { get; set; }

            internal int NextToWrite { get; set; }

            /// <summary>A worker is reading the source (cutting a block, or parsing it whole).</summary>
            internal bool Producing { get; set; }

            /// <summary>Nothing more will be cut: read to its end, failed, or stopped.</summary>
            internal bool Produced { get; set; }

            /// <summary>The writer met the end of what is read of it (a CloudTrail log among access logs).</summary>
            internal bool Stopped { get; set; }

            internal long Held { get; set; }

            internal int ParsedUnwritten { get; set; }

            /// <summary>Blocks cut and not yet taken by a worker to parse.</summary>
            internal int PendingParse { get; set; }

            // Touched only by the worker that is producing.
            internal Stream? Stream { get; set; }

            internal FileReadPosition Position { get; } = new FileReadPosition();

            internal bool Opened { get; set; }

            internal bool HeadChecked { get; set; }

            internal bool EndOfStream { get; set; }

            internal byte[]? Carry { get; set; }

            internal int CarryCount { get; set; }

            internal long NextLine { get; set; } = 1;
        }

        /// <summary>The state the workers and the writer of one read share, under one lock.</summary>
        private sealed class Run : IDisposable
        {
            private readonly LogReader<T> owner;
            private readonly LogFormat<T> format;
            private readonly IEnumerator<LogInput> inputs;
            private readonly CancellationToken stop;
            private readonly object gate = new object();
            private readonly LogReaderProbe? probe = LogReaderProbe.Current;

            // The writer waits apart from the workers, to be woken only when its next chunk or source has come.
            private readonly object writerSignal = new object();
            private bool writerSignaled;
            private bool writerWaiting;
            private SourceRun? writerWaitsFor;
            private readonly List<SourceRun?> order = new List<SourceRun?>();
            private readonly Stack<byte[]> pool = new Stack<byte[]>();
            private int writing;
            private int lastBlockRecords;
            private bool inputEnded;
            private bool fetching;
            private int unproduced;
            private readonly object parkGate = new object();
            private int cuttingLocal;
            private long unparks;
            private int pendingParse;
            private int parsedUnwritten;
            private long totalHeld;

            // Budget that blocks the writer parsed and wrote give back, not yet released (see BlockWritten).
            private SourceRun? owedSource;
            private long owedBytes;

            // The writer's own parser, for the blocks it parses itself (see NextChunk).
            private LogFormatParser<T>? writerParser;

            internal Run(LogReader<T> owner, IEnumerator<LogInput> inputs, CancellationToken stop)
            {
                this.owner = owner;
                format = owner.format;
                this.inputs = inputs;
                this.stop = stop;
            }

            internal ExceptionDispatchInfo? Failure { get; private set; }

            private long AheadHeld => totalHeld - (writing < order.Count ? order[writing]!.Held : 0);

            private bool Finished => inputEnded && !fetching && unproduced == 0 && pendingParse == 0;

            public void Dispose()
            {
                lock (gate)
                {
                    for (int i = writing; i < order.Count; i++)
                    {
                        order[i]?.Stream?.Dispose();
                    }
                }

                inputs.Dispose();
                writerParser?.Dispose();
            }

            internal void WakeAll()
            {
                lock (gate)
                {
                    Unpark();
                    WakeWriter();
                }
            }

            /// <summary>
            /// After a worker changed the state, under the lock: wakes the waiting workers, and the writer only when what
            /// it waits for has come (most blocks are parsed while the writer waits for another one; each needless
            /// wake-up is a context switch on a machine whose cores the workers use).
            /// </summary>
            private void Signal()
            {
                Monitor.PulseAll(gate);
                if (writerWaiting && WriterReady())
                {
                    WakeWriter();
                }
            }

            private void WakeWriter()
            {
                writerWaiting = false;
                lock (writerSignal)
                {
                    writerSignaled = true;
                    Monitor.Pulse(writerSignal);
                }
            }

            /// <summary>True when the writer, waiting in <see cref="NextSource"/> or <see cref="NextChunk"/>, can go on.</summary>
            private bool WriterReady()
            {
                if (stop.IsCancellationRequested)
                {
                    return true;
                }

                SourceRun? s = writerWaitsFor;
                if (s == null)
                {
                    return writing < order.Count || (inputEnded && !fetching);
                }

                if (s.NextToWrite < s.Units.Count)
                {
                    Unit unit = s.Units[s.NextToWrite]!;
                    return unit.Complete || unit.NeedsParse || (unit.Chunks.Count > 0 && !s.Stopped);
                }

                return s.Produced;
            }

            /// <summary>The writer waits, under the lock, until a worker finds it can go on (<see cref="WriterReady"/>) or the read stops.</summary>
            private void WaitAsWriter(SourceRun? s)
            {
                // What the writer waits for may need the room its written blocks gave back.
                SettleOwed();
                writerWaiting = true;
                writerWaitsFor = s;
                Monitor.Exit(gate);
                try
                {
                    lock (writerSignal)
                    {
                        while (!writerSignaled)
                        {
                            Monitor.Wait(writerSignal);
                        }

                        writerSignaled = false;
                    }
                }
                finally
                {
                    Monitor.Enter(gate);
                    writerWaiting = false;
                    writerWaitsFor = null;
                }
            }

            // ---- the writer's side ----

            /// <summary>The next source in input order, once it has been found; null after the last.</summary>
            internal SourceRun? NextSource()
            {
                lock (gate)
                {
                    while (true)
                    {
                        stop.ThrowIfCancellationRequested();
                        if (writing < order.Count)
                        {
                            return order[writing];
                        }

                        if (inputEnded && !fetching)
                        {
                            return null;
                        }

                        WaitAsWriter(null);
                    }
                }
            }

            /// <summary>The next chunk of the source's output, in order; null when it has all been written.</summary>
            internal Chunk? NextChunk(SourceRun s, out Unit? toParse)
            {
                toParse = null;
                LogReaderProbe.Mark mark = probe?.Start() ?? default;
                bool waited = false;
                lock (gate)
                {
                    while (true)
                    {
                        stop.ThrowIfCancellationRequested();
                        if (s.NextToWrite < s.Units.Count)
                        {
                            Unit unit = s.Units[s.NextToWrite]!;
                            if (unit.Chunks.Count > 0 && !s.Stopped)
                            {
                                Chunk chunk = unit.Chunks.Dequeue();
                                unit.Bytes -= chunk.Cost;
                                Release(s, chunk.Cost); // and room in a source parsed whole
                                if (unit.EndsSource && unit.Complete && unit.Chunks.Count == 0)
                                {
                                    StopReading(s);
                                }

                                probe?.Add(waited ? LogReaderProbe.Job.WriterWait : LogReaderProbe.Job.WriterTake, mark);
                                return chunk;
                            }

                            if (unit.NeedsParse)
                            {
                                Take(s, unit);
                                if (!s.Stopped)
                                {
                                    // The next block is cut and no worker has taken it: the writer parses it itself,
                                    // writing each record as it is made (see ReadOrdered).
                                    probe?.Add(waited ? LogReaderProbe.Job.WriterWait : LogReaderProbe.Job.WriterTake, mark);
                                    if (probe != null)
                                    {
                                        probe.WriterParsed++;
                                    }

                                    toParse = unit;
                                    return null;
                                }

                                // Cut after the end of what is read: dropped unparsed.
                                unit.Complete = true;
                                ReturnBuffer(unit);
                            }

                            if (unit.Complete || s.Stopped)
                            {
                                if (!unit.Complete)
                                {
                                    // Parsed after the end of what is read: its output is dropped when it comes.
                                    WaitAsWriter(s);
                                    continue;
                                }

                                s.Units[s.NextToWrite++] = null;
                                if (unit.Parsed)
                                {
                                    s.ParsedUnwritten--;
                                    parsedUnwritten--;
                                }

                                Release(s, unit.Bytes);
                                if (unit.Failure != null && !s.Stopped)
                                {
                                    unit.Failure.Throw();
                                }

                                continue;
                            }
                        }
                        else if (s.Produced)
                        {
                            return null;
                        }

                        waited = true;
                        WaitAsWriter(s);
                        if (probe != null)
                        {
                            probe.WriterWakeups++;
                        }
                    }
                }
            }

            /// <summary>
            /// Whether the workers parse blocks ahead of the writer. The writer parses its next block itself when no
            /// worker has (see <see cref="NextChunk"/>), and that is the faster way when the writer keeps up: each
            /// record is used and dropped before the next is made. Records parsed ahead wait, alive, in lists; many
            /// records surviving each collection make the collector grow its youngest generation beyond the
            /// processor's cache and copy them to an older one, which costs every thread more than the parsing the
            /// workers take over (two workers parsing ahead of a writer that only counts make fewer records a second
            /// than one worker that only reads and a writer that parses). So the workers parse ahead only when the
            /// writer spends long on each record it writes (a pipeline's cmdlets after it), or when most records are
            /// filtered out and few would wait. Set by the writer after each block or chunk it writes.
            /// </summary>
            private volatile bool workersParse;

            // Whether the writer's caller takes longer with each record than the workers that parse sources whole (see
            // Measure): such a source then holds fewer chunks.
            private volatile bool callerBehind;

            private bool WorkersParse => workersParse;

            /// <summary>The chunks a source parsed whole may hold ahead of the writer now.</summary>
            private int ChunkLimit => callerBehind ? owner.slowCallerChunks : ChunksPerSource;

            // The last records timed while the writer's caller had them, in nanoseconds (see Measure).
            private readonly long[] recentDownstream = new long[15];
            private readonly long[] sortedDownstream = new long[15];
            private int recentNext;
            private int recentCount;

            /// <summary>
            /// The clock the writer's caller is timed by: the writer thread's processor time in nanoseconds where the
            /// system gives it, so that the time the workers have the processor (on a machine with fewer processors
            /// than threads) is not counted; otherwise the wall clock, in nanoseconds too.
            /// </summary>
            internal static long DownstreamClock()
            {
                long processor = ThreadProcessorTime.Nanoseconds();
                return processor >= 0 ? processor : (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency));
            }

            /// <summary>
            /// What one reading of <see cref="DownstreamClock"/> adds to a time it measures, in nanoseconds: the least of a
            /// few back-to-back pairs. A thread's processor time is a system call, which costs over 2 microseconds on
            /// some virtual machines, as much as a fast caller's whole time with a record.
            /// </summary>
            internal static long ClockOverhead { get; } = MeasureClockOverhead();

            private static long MeasureClockOverhead()
            {
                long least = long.MaxValue;
                for (int i = 0; i < 16; i++)
                {
                    long first = DownstreamClock();
                    least = Math.Min(least, DownstreamClock() - first);
                }

                return Math.Max(0, least);
            }

            /// <summary>The writer's caller has had one record since <paramref name="handedAt"/> (<see cref="DownstreamClock"/>); one in <see cref="DownstreamSampleEvery"/> is timed.</summary>
            internal void Downstream(long handedAt)
            {
                long ticks = Math.Max(0, DownstreamClock() - handedAt - ClockOverhead);
                recentDownstream[recentNext] = ticks;
                recentNext = (recentNext + 1) % recentDownstream.Length;
                recentCount = Math.Min(recentCount + 1, recentDownstream.Length);
            }

            /// <summary>
            /// After the writer has written a block or chunk of <paramref name="lines"/> lines, <paramref name="kept"/>
            /// of them records: decides <see cref="WorkersParse"/> from the median of the last records timed while the
            /// writer's caller had them (the median, so that a record held up by a collection, or by the system giving
            /// the processor to another thread, does not switch the parsing over).
            /// </summary>
            internal void Measure(long lines, long kept)
            {
                if (lines <= 0)
                {
                    return;
                }

                bool slow = false;
                bool behind = false;
                if (recentCount >= MinimumDownstreamSamples)
                {
                    Array.Copy(recentDownstream, sortedDownstream, recentCount);
                    Array.Sort(sortedDownstream, 0, recentCount);
                    long median = sortedDownstream[recentCount / 2];
                    slow = median > SlowWriterSecondsPerRecord * 1e9;
                    behind = median > CallerBehindSecondsPerRecord * 1e9;
                    if (probe != null)
                    {
                        probe.CallerNanoseconds = median;
                    }
                }

                if (probe != null)
                {
                    probe.Measured++;
                    probe.CallerBehind += behind ? 1 : 0;
                }

                bool parse = slow || kept * 4 < lines;
                bool started = parse && !workersParse;
                workersParse = parse;

                // A caller that became fast again lets the sources parsed whole hold more chunks: the workers waiting for room are woken.
                bool roomGrew = callerBehind && !behind;
                callerBehind = behind;
                if (started || roomGrew)
                {
                    lock (gate)
                    {
                        Unpark();
                    }
                }
            }

            /// <summary>The writer's own parser, for the blocks it parses itself.</summary>
            internal LogFormatParser<T> WriterParser => writerParser ??= format.CreateParser();

            /// <summary>
            /// A block the writer took from <see cref="NextChunk"/> has been parsed and written (or the enumeration was
            /// ended in it): its place, its budget and its buffer are given back, and reading of the source stops when
            /// the block held the end of what is read (a CloudTrail log among access logs).
            /// </summary>
            internal void BlockWritten(SourceRun s, Unit unit, bool endsSource)
            {
                lock (gate)
                {
                    s.Units[s.NextToWrite++] = null;
                    s.ParsedUnwritten--;
                    parsedUnwritten--;
                    unit.Complete = true;
                    if (endsSource)
                    {
                        StopReading(s);
                    }

                    // While the writer parses the blocks itself, the worker that cuts them is ahead and waits for room:
                    // given back block by block, each block woke it (and any other worker) to cut one more, a wake-up
                    // on another processor each time, which cost the writer more than the cutting did. The room is given
                    // back a quarter of the budget at a time instead, and at once when workers parse (they wait for the
                    // window, not for room), at the end of the source, and before the writer waits (WaitAsWriter).
                    if (owedSource != s)
                    {
                        SettleOwed();
                        owedSource = s;
                    }

                    owedBytes += unit.Bytes;
                    if (endsSource || WorkersParse || owedBytes >= owner.aheadBytes / 4)
                    {
                        SettleOwed();
                    }
                }

                ReturnBuffer(unit);
            }

            /// <summary>Releases the budget the written blocks gave back (see <see cref="BlockWritten"/>), under the lock.</summary>
            private void SettleOwed()
            {
                if (owedSource != null && owedBytes > 0)
                {
                    Release(owedSource, owedBytes);
                }

                owedSource = null;
                owedBytes = 0;
            }

            private void ReturnBuffer(Unit unit)
            {
                byte[]? buffer = unit.Buffer;
                unit.Block = null;
                unit.Buffer = null;
                Return(buffer);
            }

            /// <summary>The source has been written: the budget it held goes to the sources after it.</summary>
            internal void Written(SourceRun s)
            {
                lock (gate)
                {
                    SettleOwed();
                    Release(s, Overhead);
                    order[writing] = null;
                    writing++;
                    Monitor.PulseAll(gate);
                }
            }

            private void StopReading(SourceRun s)
            {
                s.Stopped = true;
                if (!s.Producing && !s.Produced)
                {
                    s.Produced = true;
                    unproduced--;
                    s.Stream?.Dispose();
                    s.Stream = null;
                }
            }

            private void Release(SourceRun s, long bytes)
            {
                s.Held -= bytes;
                totalHeld -= bytes;
                Monitor.PulseAll(gate);
            }

            // ---- the workers' side ----

            internal void Work()
            {
                LogFormatParser<T>? parser = null;
                bool cutSlot = false;
                try
                {
                    while (true)
                    {
                        SourceRun? s;
                        Unit? unit = null;
                        bool fetch = false;
                        LogReaderProbe.Mark mark = probe?.Start() ?? default;
                        LogReaderProbe.Job waited = LogReaderProbe.Job.WorkerPick;
                        bool current = false;
                        long parkedAt = -1;
                        lock (gate)
                        {
                            bool heldBack;
                            while (!Pick(ref cutSlot, out s, out unit, out fetch, out heldBack))
                            {
                                if (stop.IsCancellationRequested || Finished)
                                {
                                    return;
                                }

                                if (probe != null && waited == LogReaderProbe.Job.WorkerPick)
                                {
                                    waited = WaitReason();
                                }

                                if (heldBack)
                                {
                                    // Only the one-reader rule held this worker back: it waits apart (see Park).
                                    parkedAt = unparks;
                                    break;
                                }

                                Monitor.Wait(gate);
                                if (probe != null)
                                {
                                    probe.WorkerWakeups++;
                                }
                            }

                            if (parkedAt < 0)
                            {
                                current = s != null && s.Index == writing;
                            }
                        }

                        if (parkedAt >= 0)
                        {
                            Park(parkedAt);
                            probe?.Add(LogReaderProbe.Job.WaitReader, mark);
                            continue;
                        }

                        if (probe != null)
                        {
                            probe.Add(waited, mark);
                            mark = probe.Start();
                        }

                        if (fetch)
                        {
                            Fetch();
                            probe?.Add(LogReaderProbe.Job.Fetch, mark);
                        }
                        else if (unit != null)
                        {
                            if (!current && probe != null)
                            {
                                Interlocked.Increment(ref probe.ParsedAhead);
                            }

                            Parse(s!, unit, parser ??= format.CreateParser());
                            probe?.Add(LogReaderProbe.Job.Parse, mark);
                        }
                        else
                        {
                            probe?.CutStarted();
                            Produce(s!, ref parser);
                            probe?.CutEnded();
                            probe?.Add(format.BlockMaxLineLength <= 0 ? LogReaderProbe.Job.ParseWhole : current ? LogReaderProbe.Job.CutCurrent : LogReaderProbe.Job.CutAhead, mark);
                        }
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                }
                finally
                {
                    parser?.Dispose();
                    if (cutSlot)
                    {
                        lock (gate)
                        {
                            cuttingLocal--;
                        }
                    }

                    WakeAll(); // the parked workers too
                }
            }

            /// <summary>
            /// The next job, under the lock: parsing the earliest block, while few blocks are parsed and not yet
            /// written (the records of a block are many small objects: parsed far ahead of the writer, they would all
            /// survive into the older generations of the garbage collector, whose pauses stop every worker); then
            /// reading on of the earliest source not read to its end (its reading is what the writer waits for, and
            /// cannot be shared); then reading on of the other sources, their blocks kept as bytes until their turn;
            /// then finding the next source. Reading only while the budget allows. While the writer parses its own
            /// blocks, a worker reads local files only with one of the <c>localReaders</c> places
            /// (<paramref name="slot"/>), which it keeps while it goes on reading them (so the inflate of a file stays
            /// on one thread and the other workers are not woken for it) and gives up for any other job or wait;
            /// <paramref name="heldBack"/> tells that only this rule kept it from a file.
            /// </summary>
            private bool Pick(ref bool slot, out SourceRun? source, out Unit? unit, out bool fetch, out bool heldBack)
            {
                bool picked = PickJob(ref slot, out source, out unit, out fetch, out heldBack);
                if (slot && !(picked && unit == null && !fetch && source!.CutsLocally))
                {
                    slot = false;
                    cuttingLocal--;
                    Unpark();
                }

                return picked;
            }

            /// <summary>
            /// Waits, outside the lock, until a worker gives up its place among the readers of local files, the
            /// workers are to parse, or the read stops: a worker held back only by that rule is not woken by every
            /// block cut (on two processors those wake-ups, and the spinning before each wait, took 0.13 of a run's
            /// 1.6 processor seconds in the benchmarks' probe).
            /// </summary>
            private void Park(long seen)
            {
                lock (parkGate)
                {
                    while (Interlocked.Read(ref unparks) == seen && !stop.IsCancellationRequested)
                    {
                        Monitor.Wait(parkGate);
                    }
                }
            }

            /// <summary>Wakes the parked workers (under the lock).</summary>
            private void Unpark()
            {
                Interlocked.Increment(ref unparks);
                lock (parkGate)
                {
                    Monitor.PulseAll(parkGate);
                }

                Monitor.PulseAll(gate);
            }

            private bool PickJob(ref bool slot, out SourceRun? source, out Unit? unit, out bool fetch, out bool heldBack)
            {
                source = null;
                unit = null;
                fetch = false;
                heldBack = false;
                if (stop.IsCancellationRequested)
                {
                    return false;
                }

                if (pendingParse > 0 && WorkersParse)
                {
                    int window = owner.Parallelism + 2;
                    for (int i = writing; i < order.Count; i++)
                    {
                        SourceRun s = order[i]!;
                        if (i == writing ? s.ParsedUnwritten >= window : parsedUnwritten >= window)
                        {
                            if (s.Produced && s.PendingParse == 0)
                            {
                                continue;
                            }

                            // A later source's records would wait, alive, until the writer is done with this source:
                            // its blocks wait as bytes until this one has nothing left to read or parse.
                            break;
                        }

                        while (s.NextToParse < s.Units.Count && s.Units[s.NextToParse]?.NeedsParse != true)
                        {
                            s.NextToParse++;
                        }

                        // The block the writer is to write next is left to the writer (see NextChunk): workers parse
                        // the ones after it.
                        int next = s.NextToParse;
                        if (i == writing && next == s.NextToWrite)
                        {
                            next++;
                            while (next < s.Units.Count && s.Units[next]?.NeedsParse != true)
                            {
                                next++;
                            }
                        }

                        if (next < s.Units.Count)
                        {
                            Unit candidate = s.Units[next]!;
                            if (next == s.NextToParse)
                            {
                                s.NextToParse++;
                            }

                            Take(s, candidate);
                            source = s;
                            unit = candidate;
                            return true;
                        }

                        if (!s.Produced)
                        {
                            break; // see above
                        }
                    }
                }

                if (slot && !WorkersParse && cuttingLocal > owner.localReaders)
                {
                    // More workers read local files than the writer's parsing leaves processors for (the workers were
                    // parsing a while ago): this one steps back.
                    slot = false;
                    cuttingLocal--;
                }

                bool capped = !WorkersParse && !slot && cuttingLocal >= owner.localReaders;
                for (int i = writing; i < order.Count; i++)
                {
                    SourceRun s = order[i]!;
                    if (!s.Produced && !s.Producing && MayRead(s))
                    {
                        bool local = s.CutsLocally;
                        if (local && capped)
                        {
                            heldBack = true;
                            continue;
                        }

                        s.Producing = true;
                        if (local && !slot)
                        {
                            slot = true;
                            cuttingLocal++;
                        }

                        source = s;
                        return true;
                    }
                }

                if (!inputEnded && !fetching && unproduced < owner.Parallelism && (writing >= order.Count || AheadHeld < owner.aheadBytes))
                {
                    fetching = true;
                    fetch = true;
                    return true;
                }

                return false;
            }

            /// <summary>Marks a cut block as taken to parse (by a worker or the writer), under the lock.</summary>
            private void Take(SourceRun s, Unit unit)
            {
                unit.NeedsParse = false;
                unit.Parsed = true;
                pendingParse--;
                s.PendingParse--;
                s.ParsedUnwritten++;
                parsedUnwritten++;
            }

            /// <summary>Why <see cref="Pick"/> found nothing (for the probe).</summary>
            private LogReaderProbe.Job WaitReason()
            {
                if (pendingParse > 0)
                {
                    return LogReaderProbe.Job.WaitWindow;
                }

                for (int i = writing; i < order.Count; i++)
                {
                    SourceRun s = order[i]!;
                    if (!s.Produced && !s.Producing)
                    {
                        return LogReaderProbe.Job.WaitBudget;
                    }
                }

                if (!inputEnded && !fetching)
                {
                    return unproduced >= owner.Parallelism ? LogReaderProbe.Job.WaitOpen : LogReaderProbe.Job.WaitBudget;
                }

                return LogReaderProbe.Job.WaitIdle;
            }

            // The source being written may always read on when the writer has taken all it had (so a budget smaller
            // than a block still moves); the others wait while the sources ahead hold the budget.
            private bool MayRead(SourceRun s) =>
                s.Index == writing ? s.Held < owner.aheadBytes || s.NextToWrite == s.Units.Count : AheadHeld < owner.aheadBytes;

            /// <summary>Takes the next input (outside the lock: listing S3 may take a while; one worker at a time).</summary>
            private void Fetch()
            {
                LogInput? input = null;
                ExceptionDispatchInfo? failure = null;
                bool canceled = false;
                try
                {
                    if (inputs.MoveNext())
                    {
                        input = inputs.Current;
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    canceled = true;
                }
                catch (Exception ex)
                {
                    // Finding the next input failed (not a file's fault): the read ends with it.
                    failure = ExceptionDispatchInfo.Capture(ex);
                }

                lock (gate)
                {
                    fetching = false;
                    if (input == null)
                    {
                        inputEnded = true;
                        Failure = failure;
                    }
                    else
                    {
                        var s = new SourceRun(input, order.Count);
                        s.CutsLocally = format.BlockMaxLineLength > 0 && input.Source?.ProcessorBound == true;
                        s.Held = Overhead;
                        totalHeld += Overhead;
                        if (input.Source == null)
                        {
                            s.Produced = true;
                        }
                        else if (format.Skip(input.Source) is LogProblem skipped)
                        {
                            s.Skipped = skipped;
                            s.Produced = true;
                        }
                        else
                        {
                            unproduced++;
                        }

                        order.Add(s);
                    }

                    Signal();
                }

                if (canceled)
                {
                    throw new OperationCanceledException(stop);
                }
            }

            /// <summary>Reads on in a source: its next block, or the whole of it for a format not read in blocks.</summary>
            private void Produce(SourceRun s, ref LogFormatParser<T>? parser)
            {
                LogSource source = s.Source!;
                var added = new List<Unit>(2);
                bool done;
                try
                {
                    if (!s.Opened)
                    {
                        s.Opened = true;
                        s.Stream = source.Open(s.Position, stop);
                    }

                    if (format.BlockMaxLineLength <= 0)
                    {
                        ParseWhole(s, s.Stream!, parser ??= format.CreateParser());
                        done = true;
                    }
                    else
                    {
                        done = CutBlock(s, added, ref parser);
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    throw;
                }
                catch (LogSourceException ex)
                {
                    added.Add(ProblemUnit(LogReadMessage<T>.ForProblem(new LogProblem(LogProblemSeverity.Error, ex.ErrorId, source.Name, ex.Message), source, ex, source.Name), s));
                    done = true;
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is InvalidDataException)
                {
                    added.Add(ProblemUnit(format.Unreadable(source, ex), s));
                    done = true;
                }
                catch (Exception ex)
                {
                    added.Add(new Unit { Complete = true, Failure = ExceptionDispatchInfo.Capture(ex), Bytes = Overhead });
                    done = true;
                }

                lock (gate)
                {
                    foreach (Unit unit in added)
                    {
                        s.Units.Add(unit);
                        s.Held += unit.Bytes;
                        totalHeld += unit.Bytes;
                        if (unit.NeedsParse)
                        {
                            pendingParse++;
                            s.PendingParse++;
                        }
                    }

                    s.Producing = false;
                    if ((done || s.Stopped) && !s.Produced)
                    {
                        s.Produced = true;
                        unproduced--;
                        s.Stream?.Dispose();
                        s.Stream = null;
                    }

                    Signal();
                }
            }

            private Unit ProblemUnit(LogReadMessage<T> problem, SourceRun s)
            {
                var unit = new Unit { Complete = true, Bytes = Overhead };
                var batch = new Batch(s.Source!, 0);
                batch.Add(problem);
                unit.Chunks.Enqueue(new Chunk(batch, 0, 1, s.Position.Position, s.Position.Length));
                return unit;
            }

            /// <summary>
            /// Cuts the next block of whole lines from the source (with the partial line the last block left over),
            /// as the line splitter of the format would cut the lines: a UTF-8 byte order mark at the start skipped, a
            /// line longer than the maximum skipped without being held, and, when the source cannot be read on, the
            /// whole lines before the failure kept. True when the source has been read to its end.
            /// </summary>
            private bool CutBlock(SourceRun s, List<Unit> added, ref LogFormatParser<T>? parser)
            {
                int max = format.BlockMaxLineLength;
                int carry = s.CarryCount;
                byte[] buffer = carry < owner.blockSize ? Rent() : new byte[carry + 1];
                int n = 0;
                if (carry > 0)
                {
                    Buffer.BlockCopy(s.Carry!, 0, buffer, 0, carry);
                    n = carry;
                    s.Carry = null;
                    s.CarryCount = 0;
                }

                bool eof = s.EndOfStream;
                ExceptionDispatchInfo? failure = null;
                int searched = 0;
                while (true)
                {
                    while (n < buffer.Length && !eof)
                    {
                        int read;
                        try
                        {
                            read = s.Stream!.Read(buffer, n, buffer.Length - n);
                        }
                        catch (OperationCanceledException) when (stop.IsCancellationRequested)
                        {
                            throw;
                        }
                        catch (Exception ex)
                        {
                            failure = ExceptionDispatchInfo.Capture(ex);
                            eof = true;
                            break;
                        }

                        if (read == 0)
                        {
                            eof = true;
                        }
                        else
                        {
                            n += read;
                        }
                    }

                    if (!s.HeadChecked && (n >= 8 || eof))
                    {
                        s.HeadChecked = true;
                        if (failure == null && format.ReadWhole(buffer, n))
                        {
                            // Decoded as text by the format's parser: read whole, here.
                            var head = new byte[n];
                            Buffer.BlockCopy(buffer, 0, head, 0, n);
                            Return(buffer);
                            Stream rest = s.EndOfStream || eof ? (Stream)new MemoryStream(head, writable: false) : new ConcatenatedStream(new MemoryStream(head, writable: false), s.Stream!);
                            ParseWhole(s, rest, parser ??= format.CreateParser());
                            return true;
                        }

                        if (n >= 4 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF)
                        {
                            Buffer.BlockCopy(buffer, 3, buffer, 0, n - 3);
                            n -= 3;
                        }
                    }

                    int last = n > searched ? new ReadOnlySpan<byte>(buffer, searched, n - searched).LastIndexOf((byte)'\n') : -1;
                    if (last >= 0)
                    {
                        last += searched;
                        int rest = n - (last + 1);
                        if (failure == null && rest > 0)
                        {
                            s.Carry = new byte[rest];
                            Buffer.BlockCopy(buffer, last + 1, s.Carry, 0, rest);
                            s.CarryCount = rest;
                        }

                        AddBlock(s, added, buffer, last + 1);
                        s.EndOfStream = eof;
                        failure?.Throw();
                        return eof && rest == 0;
                    }

                    if (failure != null)
                    {
                        Return(buffer);
                        failure.Throw();
                    }

                    if (eof)
                    {
                        s.EndOfStream = true;
                        if (n > max + 1)
                        {
                            AddTooLong(s, added, n);
                            Return(buffer);
                        }
                        else if (n > 0)
                        {
                            AddBlock(s, added, buffer, n);
                        }
                        else
                        {
                            Return(buffer);
                        }

                        return true;
                    }

                    if (n > max + 1)
                    {
                        bool end = SkipLongLine(s, added, buffer, n);
                        Return(buffer);
                        return end;
                    }

                    // A line longer than the buffer: a larger one, up to the maximum line length.
                    searched = n;
                    var larger = new byte[(int)Math.Min((long)buffer.Length * 2, Math.Max(buffer.Length + 1L, max + 2L))];
                    Buffer.BlockCopy(buffer, 0, larger, 0, n);
                    Return(buffer);
                    buffer = larger;
                }
            }

            /// <summary>Reads past the rest of a line longer than the maximum, holding one buffer of it at a time.</summary>
            private bool SkipLongLine(SourceRun s, List<Unit> added, byte[] buffer, long length)
            {
                while (true)
                {
                    int read = s.Stream!.Read(buffer, 0, buffer.Length);
                    if (read == 0)
                    {
                        s.EndOfStream = true;
                        AddTooLong(s, added, length);
                        return true;
                    }

                    int newline = new ReadOnlySpan<byte>(buffer, 0, read).IndexOf((byte)'\n');
                    if (newline >= 0)
                    {
                        AddTooLong(s, added, length + newline);
                        int rest = read - (newline + 1);
                        if (rest > 0)
                        {
                            s.Carry = new byte[rest];
                            Buffer.BlockCopy(buffer, newline + 1, s.Carry, 0, rest);
                            s.CarryCount = rest;
                        }

                        return false;
                    }

                    length += read;
                }
            }

            private void AddBlock(SourceRun s, List<Unit> added, byte[] buffer, int count)
            {
                var block = new LogBlock(s.Source!, buffer, count, s.NextLine, -1);
                s.NextLine += LineBreaks(buffer, count);
                // The budget counts the buffer, not the lines in it: the block of a small object (an access log object
                // of a few KB) holds a whole buffer until it is written.
                added.Add(new Unit { Block = block, Buffer = buffer, Bytes = buffer.Length + Overhead, NeedsParse = true, Position = s.Position.Position, Length = s.Position.Length });
            }

            private void AddTooLong(SourceRun s, List<Unit> added, long length)
            {
                var block = new LogBlock(s.Source!, Array.Empty<byte>(), 0, s.NextLine, length);
                s.NextLine++;
                added.Add(new Unit { Block = block, Bytes = Overhead, NeedsParse = true, Position = s.Position.Position, Length = s.Position.Length });
            }

            private static long LineBreaks(byte[] buffer, int count)
            {
                long lines = 0;
                int at = 0;
                while (at < count)
                {
                    int found = new ReadOnlySpan<byte>(buffer, at, count - at).IndexOf((byte)'\n');
                    if (found < 0)
                    {
                        break;
                    }

                    lines++;
                    at += found + 1;
                }

                return lines;
            }

            /// <summary>Parses a block (any worker), filtering and counting as it goes.</summary>
            private void Parse(SourceRun s, Unit unit, LogFormatParser<T> parser)
            {
                // As many records as the last block gave, and a little more: a list grown by doubling would leave a
                // trail of arrays behind for the collector.
                int expected = lastBlockRecords;
                var messages = new Batch(s.Source!, expected + (expected / 8) + 16);
                long read = 0;
                long rejected = 0;
                LogBlock block = unit.Block!;
                ExceptionDispatchInfo? failure = null;
                Func<T, bool>? keep = owner.filter;
                try
                {
                    foreach (LogReadMessage<T> message in parser.ParseBlock(block))
                    {
                        if (message.Kind == LogReadMessageKind.Record)
                        {
                            read++;
                            if (keep == null || keep(message.Record!))
                            {
                                messages.Add(message);
                            }
                        }
                        else
                        {
                            if (message.Problem?.Severity == LogProblemSeverity.Error)
                            {
                                rejected++;
                            }

                            messages.Add(message);
                        }
                    }
                }
                catch (Exception ex)
                {
                    failure = ExceptionDispatchInfo.Capture(ex);
                }

                lastBlockRecords = messages.Records.Count;
                byte[]? buffer = unit.Buffer;
                lock (gate)
                {
                    unit.Block = null;
                    unit.Buffer = null;
                    unit.Chunks.Enqueue(new Chunk(messages, read, rejected, unit.Position, unit.Length));
                    unit.EndsSource = block.EndsSource;
                    unit.Failure = failure;
                    unit.Complete = true;
                    Signal();
                }

                Return(buffer);
            }

            /// <summary>Parses a whole source as one stream on this worker, handing its messages over in chunks.</summary>
            private void ParseWhole(SourceRun s, Stream stream, LogFormatParser<T> parser)
            {
                LogSource source = s.Source!;
                var unit = new Unit { Bytes = Overhead };
                lock (gate)
                {
                    s.Units.Add(unit);
                    s.NextToParse = s.Units.Count;
                    s.Held += unit.Bytes;
                    totalHeld += unit.Bytes;
                    Signal();
                }

                var chunk = new Batch(source, ChunkSize);
                long read = 0;
                long rejected = 0;
                int progressEvery = format.ProgressEvery;
                long sinceProgress = 0;
                Func<T, bool>? keep = owner.filter;

                void Flush(bool last)
                {
                    long cost = (long)chunk.Count * WholeSourceMessageBytes;
                    lock (gate)
                    {
                        // A source after the one being written also waits while the sources ahead of the writer hold the budget.
                        while ((unit.Chunks.Count >= ChunkLimit || (s.Index != writing && AheadHeld + cost > owner.aheadBytes))
                            && !stop.IsCancellationRequested && !s.Stopped)
                        {
                            Monitor.Wait(gate);
                        }

                        stop.ThrowIfCancellationRequested();
                        if (chunk.Count > 0 || read > 0 || rejected > 0)
                        {
                            unit.Chunks.Enqueue(new Chunk(chunk, read, rejected, s.Position.Position, s.Position.Length) { Cost = cost });
                            unit.Bytes += cost;
                            s.Held += cost;
                            totalHeld += cost;
                        }

                        unit.Complete = last;
                        Signal();
                    }

                    chunk = new Batch(source, ChunkSize);
                    read = rejected = 0;
                }

                try
                {
                    foreach (LogReadMessage<T> message in parser.Parse(stream, source))
                    {
                        if (message.Kind == LogReadMessageKind.Record)
                        {
                            read++;
                            if (keep == null || keep(message.Record!))
                            {
                                chunk.Add(message);
                            }
                        }
                        else
                        {
                            if (message.Problem?.Severity == LogProblemSeverity.Error)
                            {
                                rejected++;
                            }

                            chunk.Add(message);
                        }

                        // A chunk also ends at each progress step, so that the writer reports progress as it goes.
                        if (chunk.Count == ChunkSize || (progressEvery > 0 && ++sinceProgress == progressEvery))
                        {
                            sinceProgress = 0;
                            Flush(false);
                        }
                    }
                }
                catch (LogSourceException ex)
                {
                    chunk.Add(LogReadMessage<T>.ForProblem(new LogProblem(LogProblemSeverity.Error, ex.ErrorId, source.Name, ex.Message), source, ex, source.Name));
                    rejected++;
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is InvalidDataException)
                {
                    chunk.Add(format.Unreadable(source, ex));
                    rejected++;
                }
                finally
                {
                    if (!ReferenceEquals(stream, s.Stream))
                    {
                        stream.Dispose();
                    }
                }

                Flush(true);
            }

            private byte[] Rent()
            {
                lock (pool)
                {
                    if (pool.Count > 0)
                    {
                        return pool.Pop();
                    }
                }

                if (probe != null)
                {
                    Interlocked.Increment(ref probe.BuffersAllocated);
                }

                return new byte[owner.blockSize];
            }

            private void Return(byte[]? buffer)
            {
                if (buffer != null && buffer.Length == owner.blockSize)
                {
                    lock (pool)
                    {
                        // As many as the budget can hold, for the next blocks (a new one would be a large-object allocation).
                        if ((long)pool.Count * owner.blockSize < (2 * owner.aheadBytes) + ((owner.Parallelism + 2L) * owner.blockSize))
                        {
                            pool.Push(buffer);
                        }
                    }
                }
            }
        }
    }
}
