// .NET test modules of the end-to-end tests (e2e/dotnet_test.go), compiled by the test
// with mcs against Microsoft.Azure.IoT.Gateway.dll. Messages follow the convention of
// the native test modules (testmodules/common/tm_common.h): properties "seq" (from 0)
// and "stream"; byte i of the content of message seq is Util.Pattern(seq, i).
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Azure.IoT.Gateway;

namespace E2EMods
{
    internal static class Util
    {
        // tm_pattern_byte in 32-bit unsigned arithmetic.
        internal static byte Pattern(long seq, int i)
        {
            unchecked
            {
                uint s = (uint)seq;
                uint mix = s ^ (s >> 8) * 7u ^ (s >> 16) * 13u ^ (s >> 24) * 29u;
                return (byte)(mix * 131u + (uint)i * 7u + 1u);
            }
        }

        internal static byte[] Fill(long seq, int size)
        {
            byte[] b = new byte[size];
            for (int i = 0; i < size; i++)
                b[i] = Pattern(seq, i);
            return b;
        }

        internal static bool Check(byte[] b, long seq)
        {
            for (int i = 0; i < b.Length; i++)
                if (b[i] != Pattern(seq, i))
                    return false;
            return true;
        }

        private static string Text(byte[] configuration)
        {
            return configuration == null ? null : Encoding.UTF8.GetString(configuration);
        }

        // A number member of the flat JSON object configuration, or def.
        internal static long Num(byte[] configuration, string key, long def)
        {
            string s = Text(configuration);
            if (s == null) return def;
            Match m = Regex.Match(s, "\"" + Regex.Escape(key) + "\"\\s*:\\s*(-?\\d+)");
            return m.Success ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : def;
        }

        // A string member (escapes \" \\ \/ only: enough for the paths the tests pass), or def.
        internal static string Str(byte[] configuration, string key, string def)
        {
            string s = Text(configuration);
            if (s == null) return def;
            Match m = Regex.Match(s, "\"" + Regex.Escape(key) + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
            if (!m.Success) return def;
            return Regex.Replace(m.Groups[1].Value, "\\\\(.)", "$1");
        }

        // Writes text to path through a temporary file and a rename.
        internal static void WriteAtomic(string path, string text)
        {
            if (path == null) return;
            string tmp = path + ".tmp" + Thread.CurrentThread.ManagedThreadId;
            File.WriteAllText(tmp, text);
            if (File.Exists(path))
                File.Replace(tmp, path, null);
            else
                File.Move(tmp, path);
        }

        internal static string Quote(string s)
        {
            return "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
        }

        internal static string B(bool b) { return b ? "true" : "false"; }
    }

    // Republishes every message it receives: same content, same properties.
    public class Echo : IGatewayModule
    {
        private Broker broker;
        public void Create(Broker broker, byte[] configuration) { this.broker = broker; }
        public void Receive(Message received_message) { broker.Publish(new Message(received_message.Content, received_message.Properties)); }
        public void Destroy() { }
    }

    // Counts messages and checks them: "seq" must be the next one expected (from 0) and the
    // content the pattern of that seq. Args: {"report": path, "expect": N, "report_every": K}.
    // Writes {"received", "out_of_order", "bad_content", "no_seq", "last_seq", "final"}
    // when expect is reached, every K messages, and in Destroy (final true).
    public class CountingSink : IGatewayModule
    {
        private string report;
        private long expect, every, received, outOfOrder, badContent, noSeq, next;

        public void Create(Broker broker, byte[] configuration)
        {
            report = Util.Str(configuration, "report", null);
            expect = Util.Num(configuration, "expect", 0);
            every = Util.Num(configuration, "report_every", 0);
        }

        public void Receive(Message received_message)
        {
            received++;
            string s;
            if (!received_message.Properties.TryGetValue("seq", out s))
            {
                noSeq++;
            }
            else
            {
                long seq = long.Parse(s, CultureInfo.InvariantCulture);
                if (seq != next) outOfOrder++;
                next = seq + 1;
                if (!Util.Check(received_message.Content, seq)) badContent++;
            }
            if (received == expect || (every > 0 && received % every == 0))
                Write(false);
        }

        private void Write(bool final)
        {
            Util.WriteAtomic(report, "{\"received\": " + received + ", \"out_of_order\": " + outOfOrder +
                ", \"bad_content\": " + badContent + ", \"no_seq\": " + noSeq + ", \"last_seq\": " + (next - 1) +
                ", \"final\": " + Util.B(final) + "}");
        }

        public void Destroy() { Write(true); }
    }

    // Publishes pattern messages (properties seq, stream, mode) once started, from a
    // System.Threading.Timer callback ("mode": "timer", up to "per_tick" messages a tick)
    // or from a Task ("mode": "task", sleeping "pause_ms" between messages when set).
    // Args: {"mode", "count" (0: until Destroy), "size", "stream", "per_tick", "pause_ms",
    // "report"}. Report (when count is reached and in Destroy, final true):
    // {"published", "start_thread", "pub_threads", "all_pool_threads", "in_task", "final"}.
    public class PatternPublisher : IGatewayModule, IGatewayModuleStart
    {
        private Broker broker;
        private string mode, stream, report;
        private long count, perTick, pauseMs;
        private int size;
        private long next;
        private long published;
        private int startThread;
        private readonly HashSet<int> pubThreads = new HashSet<int>();
        private bool allPool = true, allInTask = true;
        private Timer timer;
        private Task task;
        private volatile bool stopping;
        private readonly object gate = new object();

        public void Create(Broker broker, byte[] configuration)
        {
            this.broker = broker;
            mode = Util.Str(configuration, "mode", "timer");
            stream = Util.Str(configuration, "stream", mode);
            report = Util.Str(configuration, "report", null);
            count = Util.Num(configuration, "count", 1000);
            size = (int)Util.Num(configuration, "size", 64);
            perTick = Math.Max(1, Util.Num(configuration, "per_tick", 100));
            pauseMs = Util.Num(configuration, "pause_ms", 0);
            if (mode != "timer" && mode != "task")
                throw new ArgumentException("mode must be timer or task, not " + mode);
        }

        public void Start()
        {
            startThread = Thread.CurrentThread.ManagedThreadId;
            if (mode == "timer")
            {
                timer = new Timer(_ =>
                {
                    lock (gate)
                    {
                        for (long i = 0; i < perTick && PublishOne(); i++) { }
                    }
                }, null, 0, 1);
            }
            else
            {
                task = Task.Run(() =>
                {
                    while (PublishOne())
                        if (pauseMs > 0) Thread.Sleep((int)pauseMs);
                });
            }
        }

        // Publishes the next message (one thread at a time); false when done or stopping.
        private bool PublishOne()
        {
            if (stopping || (count > 0 && next >= count))
                return false;
            Thread t = Thread.CurrentThread;
            pubThreads.Add(t.ManagedThreadId);
            allPool &= t.IsThreadPoolThread;
            allInTask &= Task.CurrentId.HasValue;
            long seq = next++;
            Dictionary<string, string> props = new Dictionary<string, string>
            {
                { "seq", seq.ToString(CultureInfo.InvariantCulture) },
                { "stream", stream },
                { "mode", mode },
            };
            broker.Publish(new Message(Util.Fill(seq, size), props));
            published = next;
            if (count > 0 && next == count)
                Write(false);
            return true;
        }

        private void Write(bool final)
        {
            StringBuilder ids = new StringBuilder();
            foreach (int id in pubThreads)
                ids.Append(ids.Length == 0 ? "" : ", ").Append(id);
            Util.WriteAtomic(report, "{\"published\": " + published + ", \"start_thread\": " + startThread +
                ", \"pub_threads\": [" + ids + "], \"all_pool_threads\": " + Util.B(allPool) +
                ", \"in_task\": " + Util.B(allInTask) + ", \"final\": " + Util.B(final) + "}");
        }

        public void Receive(Message received_message) { }

        public void Destroy()
        {
            stopping = true;
            if (timer != null)
            {
                using (ManualResetEvent done = new ManualResetEvent(false))
                {
                    timer.Dispose(done);
                    done.WaitOne();
                }
            }
            if (task != null)
                task.Wait();
            lock (gate)
            {
                Write(true);
            }
        }
    }

    // Implements IGatewayModuleStart. Args {"marker": prefix}: Start writes <prefix>.start
    // (the Start thread's id), Destroy writes <prefix>.destroy; Start also publishes one
    // message {"event": "started"}.
    public class WithStart : IGatewayModule, IGatewayModuleStart
    {
        private Broker broker;
        private string marker;

        public void Create(Broker broker, byte[] configuration)
        {
            this.broker = broker;
            marker = Util.Str(configuration, "marker", null);
            File.WriteAllText(marker + ".create", "created");
        }

        public void Start()
        {
            File.WriteAllText(marker + ".start", "started");
            broker.Publish(new Message("started", new Dictionary<string, string> { { "event", "started" }, { "module", marker } }));
        }

        public void Receive(Message received_message) { }
        public void Destroy() { File.WriteAllText(marker + ".destroy", "destroyed"); }
    }

    // Does not implement IGatewayModuleStart; its public Start must never be called.
    public class WithoutStart : IGatewayModule
    {
        private string marker;
        public void Create(Broker broker, byte[] configuration)
        {
            marker = Util.Str(configuration, "marker", null);
            File.WriteAllText(marker + ".create", "created");
        }
        public void Start() { File.WriteAllText(marker + ".start", "wrongly started"); }
        public void Receive(Message received_message) { }
        public void Destroy() { File.WriteAllText(marker + ".destroy", "destroyed"); }
    }

    public class ThrowInCtor : IGatewayModule
    {
        public ThrowInCtor() { throw new InvalidOperationException("boom in the constructor of ThrowInCtor"); }
        public void Create(Broker broker, byte[] configuration) { }
        public void Receive(Message received_message) { }
        public void Destroy() { }
    }

    public class ThrowInCreate : IGatewayModule
    {
        public void Create(Broker broker, byte[] configuration) { Validate(configuration); }
        private static void Validate(byte[] configuration)
        {
            throw new ApplicationException("boom in Create: bad configuration " + Encoding.UTF8.GetString(configuration ?? new byte[0]));
        }
        public void Receive(Message received_message) { }
        public void Destroy() { }
    }

    // Echoes every message but the one with seq == "throw_at", for which Receive throws.
    // Start and Destroy throw when args {"start": 1} / {"destroy": 1} say so.
    public class ThrowInReceive : IGatewayModule, IGatewayModuleStart
    {
        private Broker broker;
        private long throwAt;
        private bool throwStart, throwDestroy;

        public void Create(Broker broker, byte[] configuration)
        {
            this.broker = broker;
            throwAt = Util.Num(configuration, "throw_at", 0);
            throwStart = Util.Num(configuration, "start", 0) != 0;
            throwDestroy = Util.Num(configuration, "destroy", 0) != 0;
        }

        public void Start()
        {
            if (throwStart) throw new NotSupportedException("boom in Start");
        }

        public void Receive(Message received_message)
        {
            long seq = long.Parse(received_message.Properties["seq"], CultureInfo.InvariantCulture);
            if (seq == throwAt)
                Fail(seq);
            broker.Publish(received_message);
        }

        private static void Fail(long seq)
        {
            throw new FormatException("boom in Receive at seq " + seq);
        }

        public void Destroy()
        {
            if (throwDestroy) throw new InvalidOperationException("boom in Destroy");
        }
    }

    // Echoes every message; once started, a timer callback throws an exception nobody
    // catches ("boom in a timer callback"), on a thread-pool thread.
    public class UnhandledInTimer : IGatewayModule, IGatewayModuleStart
    {
        private Broker broker;
        private Timer timer;

        public void Create(Broker broker, byte[] configuration) { this.broker = broker; }

        public void Start()
        {
            timer = new Timer(_ => { throw new InvalidOperationException("boom in a timer callback"); }, null, 0, Timeout.Infinite);
        }

        public void Receive(Message received_message) { broker.Publish(received_message); }

        public void Destroy() { GC.KeepAlive(timer); }
    }

    public class NotAModule
    {
        public void Receive(Message received_message) { }
    }

    public class NoDefaultCtor : IGatewayModule
    {
        public NoDefaultCtor(int x) { }
        public void Create(Broker broker, byte[] configuration) { }
        public void Receive(Message received_message) { }
        public void Destroy() { }
    }
}
