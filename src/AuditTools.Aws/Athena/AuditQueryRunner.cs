using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using AuditTools.Athena;
using AuditTools.Aws.Clients.Athena;
using AuditTools.Aws.Clients.JsonProtocol;
using AuditTools.Aws.Connection;

namespace AuditTools.Aws.Athena
{
    /// <summary>
    /// Runs one Athena query: starts it, waits for it (reporting each poll), pages its results, and stops it when
    /// the command is stopped. Calls block on the pipeline thread, as the other services' do.
    /// </summary>
    public sealed class AuditQueryRunner : IDisposable
    {
        private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(200);
        private static readonly TimeSpan LongestPoll = TimeSpan.FromSeconds(2);

        private readonly AwsConnection connection;
        private readonly CancellationToken cancellationToken;
        private readonly Func<IAthenaClient> clientFactory;
        private IAthenaClient? client;

        /// <summary>Creates the runner for one command invocation, in the connection's region.</summary>
        public AuditQueryRunner(AwsConnection connection, CancellationToken cancellationToken)
            : this(connection, cancellationToken, () => AthenaClient.Create(connection))
        {
        }

        internal AuditQueryRunner(AwsConnection connection, CancellationToken cancellationToken, Func<IAthenaClient> clientFactory)
        {
            this.connection = connection ?? throw new ArgumentNullException(nameof(connection));
            this.cancellationToken = cancellationToken;
            this.clientFactory = clientFactory;
        }

        /// <summary>The region queries run in.</summary>
        public string Region => connection.Region;

        private IAthenaClient Client => client ??= clientFactory();

        /// <summary>StartQueryExecution; returns the query execution ID.</summary>
        public string Start(AthenaQueryRequest request)
        {
            if (request == null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            request.ClientRequestToken ??= Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
            return Call("StartQueryExecution", request.Database, (c, t) => c.StartQueryExecutionAsync(request, t));
        }

        /// <summary>
        /// Polls until the query has ended, calling <paramref name="progress"/> after each poll; returns the
        /// succeeded execution. A failed query is <see cref="AthenaErrorIds.QueryFailed"/> with Athena's reason, a
        /// query cancelled elsewhere <see cref="AthenaErrorIds.QueryCancelled"/>; Ctrl+C ends the wait with an
        /// <see cref="OperationCanceledException"/> (stop the query with <see cref="Stop"/>).
        /// </summary>
        public AthenaQueryExecution Wait(string queryExecutionId, Action<AthenaQueryExecution> progress)
        {
            TimeSpan delay = FirstPoll;
            while (true)
            {
                AthenaQueryExecution execution = Call("GetQueryExecution", queryExecutionId, (c, t) => c.GetQueryExecutionAsync(queryExecutionId, t));
                progress?.Invoke(execution);
                switch (execution.State)
                {
                    case AthenaQueryState.Succeeded:
                        return execution;
                    case AthenaQueryState.Failed:
                        throw new AthenaFailure(
                            AthenaErrorIds.QueryFailed,
                            $"Athena query {queryExecutionId} failed: {execution.StateChangeReason ?? "Athena gave no reason"}" + (execution.ErrorType != null ? $" ({execution.ErrorType})." : "."),
                            execution);
                    case AthenaQueryState.Cancelled:
                        throw new AthenaFailure(
                            AthenaErrorIds.QueryCancelled,
                            $"Athena query {queryExecutionId} was cancelled before it finished" + (execution.StateChangeReason != null ? $": {execution.StateChangeReason}" : "."),
                            execution);
                }

                if (cancellationToken.WaitHandle.WaitOne(delay))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                delay = TimeSpan.FromTicks(Math.Min(LongestPoll.Ticks, delay.Ticks * 2));
            }
        }

        /// <summary>The result pages, one GetQueryResults call each, as they are read.</summary>
        public IEnumerable<AthenaResultPage> Pages(string queryExecutionId, int? pageSize)
        {
            string? token = null;
            do
            {
                string? next = token;
                AthenaResultPage page = Call("GetQueryResults", queryExecutionId, (c, t) => c.GetQueryResultsAsync(queryExecutionId, next, pageSize, t));
                yield return page;
                token = page.NextToken;
            }
            while (token != null);
        }

        /// <summary>GetQueryExecution once (for the statistics after the results were read).</summary>
        public AthenaQueryExecution Get(string queryExecutionId) =>
            Call("GetQueryExecution", queryExecutionId, (c, t) => c.GetQueryExecutionAsync(queryExecutionId, t));

        /// <summary>
        /// StopQueryExecution, on its own short deadline: called after Ctrl+C, when the command's token is already
        /// cancelled and the pipeline may no longer write. Returns the failure, if any, for the caller to report.
        /// </summary>
        public Exception? Stop(string queryExecutionId)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                Client.StopQueryExecutionAsync(queryExecutionId, deadline.Token).GetAwaiter().GetResult();
                return null;
            }
            catch (Exception ex) when (ex is JsonServiceException || ex is OperationCanceledException)
            {
                return ex;
            }
        }

        /// <inheritdoc />
        public void Dispose()
        {
            client?.Dispose();
            client = null;
        }

        private T Call<T>(string operation, string? target, Func<IAthenaClient, CancellationToken, Task<T>> call)
        {
            try
            {
                return connection.Call("Athena", operation, target, null, t => call(Client, t), cancellationToken);
            }
            catch (JsonServiceException ex)
            {
                throw new AthenaException(AthenaErrorIds.AthenaCallFailed, ex.Message, ex);
            }
        }
    }

    /// <summary>A query that ended in FAILED or CANCELLED: the error ID, Athena's reason and the execution (for its statistics).</summary>
    public sealed class AthenaFailure : Exception
    {
        internal AthenaFailure(string errorId, string message, AthenaQueryExecution execution)
            : base(message)
        {
            ErrorId = errorId;
            Execution = execution;
        }

        /// <summary>The stable error ID.</summary>
        public string ErrorId { get; }

        /// <summary>The execution as Athena last reported it.</summary>
        public AthenaQueryExecution Execution { get; }
    }
}
