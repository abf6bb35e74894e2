using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using System.Threading.Tasks;
using AuditTools.Aws.Connection;

namespace AuditTools.Completion
{
    /// <summary>
    /// Tab completion of AWS resource names (buckets, trails) with the connection parameters already typed on the
    /// command line (-Region, -ProfileName, -EndpointUrl, keys...), falling back to the session's defaults as the
    /// command itself would. Names are cached per connection for <see cref="CacheLifetime"/>; a listing that takes
    /// longer than <see cref="TimeLimit"/> or fails completes nothing, silently, so the prompt never hangs.
    /// </summary>
    public abstract class AwsNameCompleter : IArgumentCompleter
    {
        /// <summary>How long listed names are reused before AWS is asked again (60 seconds unless changed).</summary>
        public static TimeSpan CacheLifetime { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>
        /// How long completion waits for a listing before it completes nothing (3 seconds unless changed); the listing
        /// goes on in the background and fills the cache for the next Tab.
        /// </summary>
        public static TimeSpan TimeLimit { get; set; } = TimeSpan.FromSeconds(3);

        /// <summary>How long one listing call may take before it is abandoned (it is not retried).</summary>
        private const int ListingTimeoutSec = 5;

        private static readonly ConcurrentDictionary<string, CacheEntry> Cache = new ConcurrentDictionary<string, CacheEntry>(StringComparer.Ordinal);

        private static readonly string[] ConnectionParameters =
            { "Region", "ProfileName", "ProfileLocation", "AccessKey", "SecretKey", "SessionToken", "EndpointUrl" };

        /// <summary>What is listed, for the cache key (e.g. "buckets").</summary>
        protected abstract string Kind { get; }

        /// <summary>Lists the names with the connection; called off the prompt's thread.</summary>
        protected abstract IEnumerable<string> List(AwsConnection connection, CancellationToken cancellationToken);

        /// <inheritdoc />
        public IEnumerable<CompletionResult> CompleteArgument(
            string commandName,
            string parameterName,
            string wordToComplete,
            CommandAst commandAst,
            IDictionary fakeBoundParameters)
        {
            string typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
            var pattern = new WildcardPattern(typed + "*", WildcardOptions.IgnoreCase);
            return Names(fakeBoundParameters)
                .Where(pattern.IsMatch)
                .OrderBy(n => n, StringComparer.OrdinalIgnoreCase)
                .Select(n => new CompletionResult(Quote(n), n, CompletionResultType.ParameterValue, n))
                .ToList();
        }

        /// <summary>Empties the cache (for tests, and after a change of credentials).</summary>
        public static void ClearCache() => Cache.Clear();

        private IReadOnlyList<string> Names(IDictionary? bound)
        {
            AwsConnectionRequest request;
            string key;
            try
            {
                request = Request(bound);
                key = Kind + "|" + string.Join("|", new[] { request.Region, request.ProfileName, request.ProfileLocation, request.AccessKey, request.EndpointUrl, request.StoredRegion?.ToString() });
            }
            catch (Exception ex) when (!(ex is OutOfMemoryException))
            {
                return Array.Empty<string>();
            }

            DateTime now = DateTime.UtcNow;
            CacheEntry entry = Cache.AddOrUpdate(
                key,
                _ => CacheEntry.Start(() => ListNames(request)),
                (_, existing) => existing.Expires > now ? existing : CacheEntry.Start(() => ListNames(request)));
            try
            {
                return entry.Names.Wait(TimeLimit) ? entry.Names.Result : Array.Empty<string>();
            }
            catch (AggregateException)
            {
                // A failed listing is not kept: the next Tab asks again.
                ((ICollection<KeyValuePair<string, CacheEntry>>)Cache).Remove(new KeyValuePair<string, CacheEntry>(key, entry));
                return Array.Empty<string>();
            }
        }

        private IReadOnlyList<string> ListNames(AwsConnectionRequest request)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(ListingTimeoutSec * 2));
            AwsConnection connection = AwsConnection.Create(request);
            return List(connection, timeout.Token).Distinct(StringComparer.Ordinal).ToList();
        }

        private static AwsConnectionRequest Request(IDictionary? bound)
        {
            // A listing for the prompt: one short attempt, no retries, so an endpoint that does not answer gives up
            // soon in the background instead of holding a thread and a connection for the command's defaults.
            var request = new AwsConnectionRequest { TimeoutSec = ListingTimeoutSec, MaximumRetryCount = 0 };
            var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            if (bound != null)
            {
                foreach (string name in ConnectionParameters)
                {
                    if (bound.Contains(name))
                    {
                        values[name] = Unwrap(bound[name])?.ToString();
                    }
                }
            }

            request.Region = Value(values, "Region");
            request.ProfileName = Value(values, "ProfileName");
            request.ProfileLocation = Value(values, "ProfileLocation");
            request.AccessKey = Value(values, "AccessKey");
            request.SecretKey = Value(values, "SecretKey");
            request.SessionToken = Value(values, "SessionToken");
            request.EndpointUrl = Value(values, "EndpointUrl");
            if (bound != null && bound.Contains("Credential"))
            {
                request.Credential = Unwrap(bound["Credential"]);
            }

            // The session defaults AWS.Tools users set, read as the command would read them. Completion runs on the
            // pipeline thread while TabExpansion2 runs, where SessionStateProxy refuses calls: evaluate in place.
            request.StoredCredentials = SessionVariable("StoredAWSCredentials");
            request.StoredRegion = SessionVariable("StoredAWSRegion");
            if (request.Credential is PSCredential psCredential)
            {
                request.Credential = null;
                request.AccessKey ??= psCredential.UserName;
                request.SecretKey ??= psCredential.GetNetworkCredential().Password;
            }

            return request;
        }

        private static object? SessionVariable(string name)
        {
            try
            {
                return Unwrap(ScriptBlock.Create("$" + name).Invoke().FirstOrDefault());
            }
            catch (RuntimeException)
            {
                return null;
            }
        }

        private static string? Value(Dictionary<string, string?> values, string name) =>
            values.TryGetValue(name, out string? value) && !string.IsNullOrEmpty(value) ? value : null;

        private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;

        private static string Quote(string name) =>
            name.IndexOfAny(new[] { ' ', '\'', '"', '$', '`', '(', ')', '{', '}', ',', ';', '@', '#' }) >= 0
                ? "'" + name.Replace("'", "''") + "'"
                : name;

        private sealed class CacheEntry
        {
            private CacheEntry(Task<IReadOnlyList<string>> names, DateTime expires)
            {
                Names = names;
                Expires = expires;
            }

            internal Task<IReadOnlyList<string>> Names { get; }

            internal DateTime Expires { get; }

            internal static CacheEntry Start(Func<IReadOnlyList<string>> list) =>
                new CacheEntry(Task.Run(list), DateTime.UtcNow + CacheLifetime);
        }
    }
}
