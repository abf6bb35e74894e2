namespace AuditTools.Athena
{
    /// <summary>The named investigations of Invoke-AuditQuery -Template.</summary>
    public enum AuditQueryTemplate
    {
        /// <summary>Every request to one object key (access log table; -Key, optionally -BucketName).</summary>
        WhoAccessedKey,

        /// <summary>Requests refused with 403, grouped by requester (access log table; optionally -BucketName).</summary>
        ForbiddenByRequester,

        /// <summary>The data events (object reads and writes) of one identity (CloudTrail table; -Identity, optionally -BucketName).</summary>
        DataEventsByIdentity,

        /// <summary>Requests by principals of accounts outside the organization, and anonymous ones (access log table; -AccountId).</summary>
        RequestsFromOutsideOrganization,
    }
}
