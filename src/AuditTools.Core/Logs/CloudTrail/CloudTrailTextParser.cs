using System;
using System.Collections.Generic;

namespace AuditTools.Logs.CloudTrail
{
    /// <summary>
    /// Reads CloudTrail events from text as PowerShell delivers it: a whole file's text, a single event, a JSON array
    /// of events, or JSON lines, whether in one string or line by line (Get-Content without -Raw), including a
    /// pretty-printed file line by line: lines accumulate until a JSON value is complete.
    /// </summary>
    /// <remarks>
    /// The parser reports trouble as <see cref="LogProblem"/> while the events are enumerated and goes on with the next
    /// event it can find, so one bad line of JSON lines costs that line only. Not thread-safe.
    /// </remarks>
    public sealed class CloudTrailTextParser : IDisposable
    {
        private readonly CloudTrailStreamParser parser;

        /// <summary>Creates a parser that reports trouble to <paramref name="problems"/>; <paramref name="source"/> names the input in messages.</summary>
        public CloudTrailTextParser(string source, Action<LogProblem> problems, CloudTrailReaderOptions? options)
        {
            Source = source;
            parser = new CloudTrailStreamParser(problems ?? throw new ArgumentNullException(nameof(problems)), options);
            parser.Reset(source, null);
        }

        /// <summary>The name of the input in messages.</summary>
        public string Source { get; private set; }

        /// <summary>Adds a line or a block of text (a line break is added after it) and returns the events it completes.</summary>
        public IEnumerable<CloudTrailEvent> Add(string text)
        {
            bool waiting = parser.IsInsideIncompleteValue;
            parser.Append(text, newLine: true);

            // A value can only be completed by a closing bracket: a pretty-printed file read line by line would
            // otherwise re-read the event so far at every one of its lines.
            if (waiting && text.IndexOf('}') < 0 && text.IndexOf(']') < 0)
            {
                return Array.Empty<CloudTrailEvent>();
            }

            return Drain(isFinal: false);
        }

        /// <summary>Ends the input: returns the last events, or reports text left incomplete.</summary>
        public IEnumerable<CloudTrailEvent> Complete() => Drain(isFinal: true);

        /// <summary>
        /// Starts a new input named <paramref name="source"/>, dropping whatever of the last one was not read: the
        /// buffer and the string pool are kept, so that many small inputs (one event each) do not each build them.
        /// </summary>
        internal void Restart(string source)
        {
            Source = source;
            parser.Reset(source, null);
        }

        /// <summary>Returns the buffer to the pool.</summary>
        public void Dispose() => parser.Dispose();

        private IEnumerable<CloudTrailEvent> Drain(bool isFinal)
        {
            while (true)
            {
                if (!parser.TryNext(isFinal, out CloudTrailEvent? ev))
                {
                    yield break;
                }

                yield return ev!;
            }
        }
    }
}
