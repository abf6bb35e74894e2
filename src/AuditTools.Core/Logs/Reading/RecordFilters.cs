using System;
using System.Collections.Generic;
using System.Linq;
using AuditTools.Logs.CloudTrail;
using AuditTools.Logs.S3AccessLogs;

namespace AuditTools.Logs.Reading
{
    /// <summary>
    /// The time window [<see cref="Start"/>, <see cref="End"/>) of the reading commands: a bound left out is open.
    /// </summary>
    public readonly struct TimeWindow
    {
        /// <summary>Creates a window; either bound may be null.</summary>
        public TimeWindow(DateTimeOffset? start, DateTimeOffset? end)
        {
            if (start != null && end != null && end <= start)
            {
                throw new ArgumentException($"The end of the time window ({end:o}) must be after its start ({start:o}).");
            }

            Start = start;
            End = end;
        }

        /// <summary>The first instant in the window, or null.</summary>
        public DateTimeOffset? Start { get; }

        /// <summary>The first instant after the window, or null.</summary>
        public DateTimeOffset? End { get; }

        /// <summary>True when neither bound is set.</summary>
        public bool IsOpen => Start == null && End == null;

        /// <summary>True when <paramref name="time"/> is in the window (a missing time is in an open window only).</summary>
        public bool Contains(DateTimeOffset? time) =>
            IsOpen || (time is DateTimeOffset t && (Start == null || t >= Start) && (End == null || t < End));
    }

    /// <summary>
    /// The filters the reading commands apply before a record reaches the pipeline. Each text filter is a list of
    /// matchers (the cmdlets give PowerShell wildcard patterns, case-insensitive): a record passes when any matcher of
    /// the list accepts the property's value, with a missing value matched as the empty string, exactly as
    /// <c>-like</c> treats $null; every filter given must pass.
    /// </summary>
    public static class RecordFilters
    {
        /// <summary>
        /// The S3 access log filter equal to <c>Where-Object { ($_.Key -like k1 -or $_.Key -like k2 …) -and
        /// ($_.Operation -like …) -and … -and $_.HttpStatus -in status -and $_.Time -ge start -and $_.Time -lt end }</c>;
        /// null when nothing is filtered. <paramref name="keyPatterns"/>, when given, are the wildcard patterns the
        /// <paramref name="key"/> matchers were made from, in the same order: when every one is an ASCII prefix followed
        /// by <c>*</c> (<c>reports/*</c>), a key is matched on the bytes of its line, without decoding it.
        /// </summary>
        public static Func<S3AccessLogRecord, bool>? ForS3AccessLog(
            IReadOnlyList<Func<string, bool>>? key,
            IReadOnlyList<Func<string, bool>>? operation,
            IReadOnlyList<Func<string, bool>>? requester,
            IReadOnlyList<Func<string, bool>>? remoteIP,
            IReadOnlyCollection<int>? httpStatus,
            TimeWindow window,
            IReadOnlyList<string?>? keyPatterns = null)
        {
            var tests = new List<Func<S3AccessLogRecord, bool>>();
            if (!window.IsOpen)
            {
                tests.Add(r => window.Contains(r.Time));
            }

            if (httpStatus != null)
            {
                var statuses = new HashSet<int>(httpStatus);
                tests.Add(r => r.HttpStatus is int s && statuses.Contains(s));
            }

            AddText(tests, operation, r => r.Operation);
            if (key != null && key.Count > 0 && keyPatterns != null && keyPatterns.Count == key.Count && AsciiPrefixes(keyPatterns) is byte[][] prefixes)
            {
                AddKeyPrefixes(tests, key, prefixes);
            }
            else
            {
                AddText(tests, key, r => r.Key);
            }

            AddText(tests, requester, r => r.Requester);
            AddText(tests, remoteIP, r => r.RemoteIP);
            return Combine(tests);
        }

        /// <summary>
        /// The CloudTrail filter equal to <c>Where-Object { ($_.EventName -like …) -and ($_.EventSource -like …) -and
        /// ($_.Identity -like …) -and ($_.UserIdentity.Arn -like …) -and ($_.ErrorCode -like …) -and $_.ReadOnly -eq
        /// readOnly -and $_.EventTime -ge start -and $_.EventTime -lt end }</c>; null when nothing is filtered.
        /// </summary>
        public static Func<CloudTrailEvent, bool>? ForCloudTrail(
            IReadOnlyList<Func<string, bool>>? eventName,
            IReadOnlyList<Func<string, bool>>? eventSource,
            IReadOnlyList<Func<string, bool>>? userName,
            IReadOnlyList<Func<string, bool>>? identityArn,
            IReadOnlyList<Func<string, bool>>? errorCode,
            bool? readOnly,
            TimeWindow window)
        {
            var tests = new List<Func<CloudTrailEvent, bool>>();
            if (!window.IsOpen)
            {
                tests.Add(e => window.Contains(e.EventTime));
            }

            if (readOnly is bool wanted)
            {
                tests.Add(e => e.ReadOnly == wanted);
            }

            AddText(tests, eventName, e => e.EventName);
            AddText(tests, eventSource, e => e.EventSource);
            AddText(tests, errorCode, e => e.ErrorCode);
            AddText(tests, userName, e => e.Identity);
            AddText(tests, identityArn, e => e.UserIdentity?.Arn);
            return Combine(tests);
        }

        /// <summary>
        /// The lower-cased bytes of each pattern's literal part when every pattern is ASCII characters without wildcards
        /// or escapes followed by one or more <c>*</c>; null otherwise. For ASCII text, -like without case is a
        /// comparison of ASCII letters folded to one case, so a prefix compared on the bytes gives what -like gives.
        /// </summary>
        internal static byte[][]? AsciiPrefixes(IReadOnlyList<string?> patterns)
        {
            var prefixes = new byte[patterns.Count][];
            for (int p = 0; p < patterns.Count; p++)
            {
                string? pattern = patterns[p];
                if (pattern == null || pattern.Length == 0 || pattern[pattern.Length - 1] != '*')
                {
                    return null;
                }

                string literal = pattern.TrimEnd('*');
                var bytes = new byte[literal.Length];
                for (int i = 0; i < literal.Length; i++)
                {
                    char c = literal[i];
                    if (c >= 0x80 || c == '*' || c == '?' || c == '[' || c == ']' || c == '`')
                    {
                        return null;
                    }

                    bytes[i] = FoldAscii((byte)c);
                }

                prefixes[p] = bytes;
            }

            return prefixes;
        }

        private static void AddKeyPrefixes(List<Func<S3AccessLogRecord, bool>> tests, IReadOnlyList<Func<string, bool>> key, byte[][] prefixes)
        {
            Func<string, bool>[] all = key.ToArray();
            tests.Add(r =>
            {
                // A key that is not all ASCII, or missing ('-', matched as the empty string), goes to the matchers.
                if (!r.TryGetAsciiField(S3AccessLogField.Key, out byte[] line, out int start, out int length) || (length == 1 && line[start] == (byte)'-'))
                {
                    return AnyMatch(all, r.Key ?? string.Empty);
                }

                foreach (byte[] prefix in prefixes)
                {
                    if (StartsWithFolded(line, start, length, prefix))
                    {
                        return true;
                    }
                }

                return false;
            });
        }

        private static bool StartsWithFolded(byte[] line, int start, int length, byte[] prefix)
        {
            if (length < prefix.Length)
            {
                return false;
            }

            for (int i = 0; i < prefix.Length; i++)
            {
                if (FoldAscii(line[start + i]) != prefix[i])
                {
                    return false;
                }
            }

            return true;
        }

        private static byte FoldAscii(byte b) => (uint)(b - 'A') <= 'Z' - 'A' ? (byte)(b | 0x20) : b;

        private static void AddText<T>(List<Func<T, bool>> tests, IReadOnlyList<Func<string, bool>>? matchers, Func<T, string?> property)
        {
            if (matchers == null || matchers.Count == 0)
            {
                return;
            }

            Func<string, bool>[] all = matchers.ToArray();
            if (all.Length == 1)
            {
                Func<string, bool> only = all[0];
                tests.Add(r => only(property(r) ?? string.Empty));
                return;
            }

            tests.Add(r => AnyMatch(all, property(r) ?? string.Empty));
        }

        private static bool AnyMatch(Func<string, bool>[] matchers, string value)
        {
            foreach (Func<string, bool> matcher in matchers)
            {
                if (matcher(value))
                {
                    return true;
                }
            }

            return false;
        }

        private static Func<T, bool>? Combine<T>(List<Func<T, bool>> tests)
        {
            switch (tests.Count)
            {
                case 0:
                    return null;
                case 1:
                    return tests[0];
                default:
                    Func<T, bool>[] all = tests.ToArray();
                    return r =>
                    {
                        foreach (Func<T, bool> test in all)
                        {
                            if (!test(r))
                            {
                                return false;
                            }
                        }

                        return true;
                    };
            }
        }
    }
}
