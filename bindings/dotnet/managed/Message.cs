// Microsoft.Azure.IoT.Gateway.Message: a message passed between modules, and its byte
// array form (the gateway's serialized message format, see docs: SPEC section 3).
using System;
using System.Collections.Generic;
using System.Text;

namespace Microsoft.Azure.IoT.Gateway
{
    /// <summary>Object that represents a message passed between modules.</summary>
    public class Message
    {
        // Layout of the byte array: 0xA1 0x60, int32 total size (big-endian), int32
        // property count, per property "key\0value\0", int32 content size, content.
        private const byte Header0 = 0xA1;
        private const byte Header1 = 0x60;
        private const int MinimumSize = 14;

        // Decoding is lenient (invalid UTF-8 becomes U+FFFD); encoding is strict UTF-8.
        private static readonly Encoding Utf8 = new UTF8Encoding(false, false);
        private static readonly byte[] Empty = new byte[0];

        /// <summary>The message content.</summary>
        public byte[] Content { get; set; }

        /// <summary>The message properties, serialized in enumeration order.</summary>
        public Dictionary<string, string> Properties { get; set; }

        /// <summary>An empty message: no content, no properties.</summary>
        public Message()
        {
            Content = Empty;
            Properties = new Dictionary<string, string>();
        }

        /// <summary>Parses a serialized message (the format of <see cref="ToByteArray"/>).</summary>
        /// <exception cref="ArgumentNullException">msgInByteArray is null.</exception>
        /// <exception cref="ArgumentException">The array is not a valid serialized message.</exception>
        public Message(byte[] msgInByteArray)
        {
            if (msgInByteArray == null)
                throw new ArgumentNullException("msgInByteArray");
            Parse(msgInByteArray, 0, msgInByteArray.Length);
        }

        /// <summary>Parses the serialized message in buffer[offset, offset+count).</summary>
        internal Message(byte[] buffer, int offset, int count)
        {
            Parse(buffer, offset, count);
        }

        /// <summary>A message with the given content and properties (both copied).</summary>
        public Message(byte[] content, Dictionary<string, string> properties)
        {
            Content = content == null ? Empty : (byte[])content.Clone();
            Properties = properties == null
                ? new Dictionary<string, string>()
                : new Dictionary<string, string>(properties);
        }

        /// <summary>A message whose content is the UTF-8 encoding of content.</summary>
        public Message(string content, Dictionary<string, string> properties)
            : this(content == null ? Empty : Encoding.UTF8.GetBytes(content), properties)
        {
        }

        /// <summary>A deep copy of message.</summary>
        public Message(Message message)
        {
            if (message == null)
                throw new ArgumentNullException("message");
            Content = message.Content == null ? Empty : (byte[])message.Content.Clone();
            Properties = message.Properties == null
                ? new Dictionary<string, string>()
                : new Dictionary<string, string>(message.Properties);
        }

        /// <summary>Serializes the message in the gateway's byte-array format.</summary>
        /// <exception cref="ArgumentException">A property key or value is null or contains a NUL character.</exception>
        public virtual byte[] ToByteArray()
        {
            byte[] content = Content ?? Empty;
            int count = Properties == null ? 0 : Properties.Count;
            byte[][] encoded = new byte[count * 2][];
            long size = MinimumSize + (long)content.Length;
            if (count > 0)
            {
                int i = 0;
                foreach (KeyValuePair<string, string> p in Properties)
                {
                    encoded[i] = Encode(p.Key, "key");
                    encoded[i + 1] = Encode(p.Value, "value of property \"" + p.Key + "\"");
                    size += encoded[i].Length + encoded[i + 1].Length + 2;
                    i += 2;
                }
            }
            if (size > int.MaxValue)
                throw new ArgumentException("message is too large to serialize (" + size + " bytes)");

            byte[] b = new byte[size];
            b[0] = Header0;
            b[1] = Header1;
            PutInt32(b, 2, (int)size);
            PutInt32(b, 6, count);
            int pos = 10;
            for (int i = 0; i < encoded.Length; i++)
            {
                Buffer.BlockCopy(encoded[i], 0, b, pos, encoded[i].Length);
                pos += encoded[i].Length;
                b[pos++] = 0;
            }
            PutInt32(b, pos, content.Length);
            Buffer.BlockCopy(content, 0, b, pos + 4, content.Length);
            return b;
        }

        /// <summary>A short description: content length and properties.</summary>
        public override string ToString()
        {
            StringBuilder sb = new StringBuilder();
            sb.Append("Message{content: ").Append(Content == null ? 0 : Content.Length).Append(" bytes, properties: {");
            if (Properties != null)
            {
                bool first = true;
                foreach (KeyValuePair<string, string> p in Properties)
                {
                    if (!first) sb.Append(", ");
                    first = false;
                    sb.Append(p.Key).Append('=').Append(p.Value);
                }
            }
            return sb.Append("}}").ToString();
        }

        private static byte[] Encode(string s, string what)
        {
            if (s == null)
                throw new ArgumentException("message property " + what + " is null");
            if (s.IndexOf('\0') >= 0)
                throw new ArgumentException("message property " + what + " contains a NUL character");
            return Encoding.UTF8.GetBytes(s);
        }

        private static void PutInt32(byte[] b, int pos, int v)
        {
            b[pos] = (byte)(v >> 24);
            b[pos + 1] = (byte)(v >> 16);
            b[pos + 2] = (byte)(v >> 8);
            b[pos + 3] = (byte)v;
        }

        internal static int GetInt32(byte[] b, int pos)
        {
            return (b[pos] << 24) | (b[pos + 1] << 16) | (b[pos + 2] << 8) | b[pos + 3];
        }

        private static ArgumentException Malformed(string why)
        {
            return new ArgumentException("malformed message byte array: " + why);
        }

        private void Parse(byte[] b, int offset, int count)
        {
            if (b == null)
                throw new ArgumentNullException("buffer");
            if (offset < 0 || count < 0 || offset > b.Length - count)
                throw new ArgumentOutOfRangeException("count");
            if (count < MinimumSize)
                throw Malformed("size " + count + " is below the minimum of " + MinimumSize);
            if (b[offset] != Header0 || b[offset + 1] != Header1)
                throw Malformed("bad header");
            int total = GetInt32(b, offset + 2);
            if (total != count)
                throw Malformed("declared size " + total + " does not match the array size " + count);
            int end = offset + count;
            int props = GetInt32(b, offset + 6);
            // Each property takes at least two bytes (two NULs).
            if (props < 0 || props > (count - MinimumSize) / 2)
                throw Malformed("bad property count " + props);

            Dictionary<string, string> properties = new Dictionary<string, string>(props);
            int pos = offset + 10;
            for (int i = 0; i < props; i++)
            {
                string key = ReadString(b, ref pos, end);
                string value = ReadString(b, ref pos, end);
                if (properties.ContainsKey(key))
                    throw Malformed("duplicate property \"" + key + "\"");
                properties.Add(key, value);
            }
            if (end - pos < 4)
                throw Malformed("truncated before the content size");
            int contentSize = GetInt32(b, pos);
            pos += 4;
            if (contentSize < 0 || contentSize != end - pos)
                throw Malformed("content size " + contentSize + " does not end the array");
            byte[] content = contentSize == 0 ? Empty : new byte[contentSize];
            if (contentSize > 0)
                Buffer.BlockCopy(b, pos, content, 0, contentSize);
            Content = content;
            Properties = properties;
        }

        private static string ReadString(byte[] b, ref int pos, int end)
        {
            int nul = Array.IndexOf(b, (byte)0, pos, end - pos);
            if (nul < 0)
                throw Malformed("property string not NUL-terminated");
            string s = nul == pos ? string.Empty : Utf8.GetString(b, pos, nul - pos);
            pos = nul + 1;
            return s;
        }
    }
}
