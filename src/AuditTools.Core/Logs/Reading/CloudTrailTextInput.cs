using System;
using System.Collections.Generic;
using System.Linq;
using AuditTools.Logs.CloudTrail;

namespace AuditTools.Logs.Reading
{
    /// <summary>
    /// CloudTrail JSON piped in: text (a whole file, an event, an array, JSON lines; whole or line by line) and the
    /// event JSON of LookupEvents results, one object at a time. Use on one thread; dispose to return the buffers.
    /// </summary>
    public sealed class CloudTrailTextInput : IDisposable
    {
        private const string PipelineSource = "the pipeline input";
        private readonly Func<CloudTrailEvent, bool>? filter;
        private readonly List<LogProblem> problems = new List<LogProblem>();
        private readonly CloudTrailLogFormat format;
        private CloudTrailTextParser? text;

        // One parser for every piped object, restarted for each: its string pool and buffer are built once.
        private CloudTrailTextParser? objects;
        private int objectCount;
        private bool objectVersionWarned;

        /// <summary>Creates the input; <paramref name="filter"/>, when given, keeps the events it accepts.</summary>
        public CloudTrailTextInput(Func<CloudTrailEvent, bool>? filter = null)
            : this(CloudTrailLogFormat.Instance, filter)
        {
        }

        /// <summary>Creates the input with the limits of <paramref name="format"/>; <paramref name="filter"/>, when given, keeps the events it accepts.</summary>
        public CloudTrailTextInput(CloudTrailLogFormat format, Func<CloudTrailEvent, bool>? filter)
        {
            this.format = format ?? throw new ArgumentNullException(nameof(format));
            this.filter = filter;
        }

        /// <summary>The events and problems that a piped string completes.</summary>
        public IEnumerable<LogReadMessage<CloudTrailEvent>> Add(string? value)
        {
            text ??= new CloudTrailTextParser(PipelineSource, problems.Add, format.NewOptions());
            return Filter(CloudTrailLogFormat.Drain(text.Add(value ?? string.Empty), problems, null, text.Source));
        }

        /// <summary>The last events of the piped text, or the error of text left incomplete.</summary>
        public IEnumerable<LogReadMessage<CloudTrailEvent>> Complete() =>
            text == null ? Enumerable.Empty<LogReadMessage<CloudTrailEvent>>() : Filter(CloudTrailLogFormat.Drain(text.Complete(), problems, null, text.Source));

        /// <summary>
        /// The event of one object's CloudTrailEvent property (a LookupEvents result). Each object is its own input, but
        /// one warning about the event version is enough for all. The objects share one parser: read each object's
        /// messages to the end before adding the next.
        /// </summary>
        public IEnumerable<LogReadMessage<CloudTrailEvent>> AddEventJson(string json)
        {
            objectCount++;
            string source = $"the CloudTrailEvent property of input object {objectCount}";
            if (objects == null)
            {
                objects = new CloudTrailTextParser(source, problems.Add, format.NewOptions());
            }
            else
            {
                objects.Restart(source);
            }

            CloudTrailTextParser parser = objects;
            foreach (LogReadMessage<CloudTrailEvent> message in Filter(CloudTrailLogFormat.Drain(parser.Add(json).Concat(parser.Complete()), problems, null, parser.Source)))
            {
                if (message.Kind == LogReadMessageKind.Problem && message.Problem!.Id == LogErrorIds.UnknownCloudTrailEventVersion)
                {
                    if (objectVersionWarned)
                    {
                        continue;
                    }

                    objectVersionWarned = true;
                }

                yield return message;
            }
        }

        /// <summary>Returns the text parsers' pooled buffers.</summary>
        public void Dispose()
        {
            text?.Dispose();
            text = null;
            objects?.Dispose();
            objects = null;
        }

        private IEnumerable<LogReadMessage<CloudTrailEvent>> Filter(IEnumerable<LogReadMessage<CloudTrailEvent>> messages)
        {
            foreach (LogReadMessage<CloudTrailEvent> message in messages)
            {
                if (message.Kind != LogReadMessageKind.Record || filter == null || filter(message.Record!))
                {
                    yield return message;
                }
            }
        }
    }
}
