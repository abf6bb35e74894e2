using System;

namespace AuditTools.Logs.CloudTrail
{
    /// <summary>
    /// Collects fields a typed object does not know, as raw JSON (name and value exactly as written), into a
    /// <see cref="CloudTrailJsonObject"/> that parses them only if someone looks.
    /// </summary>
    internal sealed class JsonFieldBag
    {
        private byte[] buffer = new byte[256];
        private int length;

        internal bool IsEmpty => length == 0;

        internal void Add(ReadOnlySpan<byte> rawName, ReadOnlySpan<byte> rawValue)
        {
            Ensure(rawName.Length + rawValue.Length + 5);
            buffer[length] = length == 0 ? (byte)'{' : (byte)',';
            length++;
            buffer[length++] = (byte)'"';
            rawName.CopyTo(new Span<byte>(buffer, length, rawName.Length));
            length += rawName.Length;
            buffer[length++] = (byte)'"';
            buffer[length++] = (byte)':';
            rawValue.CopyTo(new Span<byte>(buffer, length, rawValue.Length));
            length += rawValue.Length;
        }

        internal CloudTrailJsonObject? ToObject()
        {
            if (length == 0)
            {
                return null;
            }

            byte[] json = new byte[length + 1];
            Buffer.BlockCopy(buffer, 0, json, 0, length);
            json[length] = (byte)'}';
            return new CloudTrailJsonObject(json, 0, json.Length);
        }

        private void Ensure(int more)
        {
            if (length + more > buffer.Length)
            {
                Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length + more));
            }
        }
    }
}
