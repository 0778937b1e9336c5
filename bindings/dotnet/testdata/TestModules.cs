// Modules used by the binding's Go tests (bindings/dotnet/*_test.go).
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Azure.IoT.Gateway;

namespace TestModules
{
    internal static class Args
    {
        internal static string Text(byte[] configuration)
        {
            return configuration == null ? null : Encoding.UTF8.GetString(configuration);
        }

        internal static int Int(byte[] configuration, string name, int def)
        {
            string s = Text(configuration);
            if (s == null) return def;
            Match m = Regex.Match(s, "\"" + Regex.Escape(name) + "\"\\s*:\\s*(-?\\d+)");
            return m.Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : def;
        }

        internal static string Str(byte[] configuration, string name, string def)
        {
            string s = Text(configuration);
            if (s == null) return def;
            Match m = Regex.Match(s, "\"" + Regex.Escape(name) + "\"\\s*:\\s*\"([^\"]*)\"");
            return m.Success ? m.Groups[1].Value : def;
        }

        internal static Dictionary<string, string> Props(params string[] kv)
        {
            Dictionary<string, string> d = new Dictionary<string, string>();
            for (int i = 0; i + 1 < kv.Length; i += 2) d[kv[i]] = kv[i + 1];
            return d;
        }
    }

    // Republishes every message unchanged; with args {"tag": "x"} adds property via=x.
    public class Echo : IGatewayModule
    {
        private Broker broker;
        private string tag;

        public void Create(Broker broker, byte[] configuration)
        {
            this.broker = broker;
            tag = Args.Str(configuration, "tag", null);
        }

        public void Receive(Message m)
        {
            if (tag != null)
            {
                Message copy = new Message(m);
                copy.Properties["via"] = tag;
                broker.Publish(copy);
            }
            else
            {
                broker.Publish(m);
            }
        }

        public void Destroy() { }
    }

    // Re-serializes every message through Message(byte[]) / ToByteArray and publishes the
    // bytes as content: the Go test compares them with its own serialization.
    public class Reserialize : IGatewayModule
    {
        private Broker broker;
        public void Create(Broker broker, byte[] configuration) { this.broker = broker; }
        public void Receive(Message m)
        {
            byte[] b = m.ToByteArray();
            Message again = new Message(b);
            broker.Publish(new Message(again.ToByteArray(), Args.Props("kind", "bytes")));
        }
        public void Destroy() { }
    }

    // Counts messages; after "expect" of them publishes {"event": "done", "count": n,
    // "bytes": total content bytes}; then starts over.
    public class CountingSink : IGatewayModule
    {
        private Broker broker;
        private int expect;
        private int count;
        private long bytes;

        public void Create(Broker broker, byte[] configuration)
        {
            this.broker = broker;
            expect = Args.Int(configuration, "expect", 1);
        }

        public void Receive(Message m)
        {
            count++;
            bytes += m.Content.Length + m.Properties.Count;
            if (count == expect)
            {
                broker.Publish(new Message("done", Args.Props("event", "done",
                    "count", count.ToString(CultureInfo.InvariantCulture),
                    "bytes", bytes.ToString(CultureInfo.InvariantCulture))));
                count = 0;
                bytes = 0;
            }
        }

        public void Destroy() { }
    }

    // Implements IGatewayModuleStart: Start publishes the configuration it was created
    // with (content; "<null>" when none) with event=started.
    public class Starter : IGatewayModule, IGatewayModuleStart
    {
        private Broker broker;
        private byte[] configuration;

        public void Create(Broker broker, byte[] configuration)
        {
            this.broker = broker;
            this.configuration = configuration;
        }

        public void Start()
        {
            byte[] content = configuration ?? Encoding.UTF8.GetBytes("<null>");
            broker.Publish(new Message(content, Args.Props("event", "started")));
        }

        public void Receive(Message m)
        {
            broker.Publish(new Message("pong", Args.Props("event", "received")));
        }

        public void Destroy() { }
    }

    // Does not implement IGatewayModuleStart: its public Start must never be called.
    public class NoStart : IGatewayModule
    {
        private Broker broker;
        public void Create(Broker broker, byte[] configuration) { this.broker = broker; }
        public void Start() { broker.Publish(new Message("wrong", Args.Props("event", "wrongly-started"))); }
        public void Receive(Message m) { broker.Publish(new Message("pong", Args.Props("event", "received"))); }
        public void Destroy() { }
    }

    public class ThrowingCtor : IGatewayModule
    {
        public ThrowingCtor() { throw new InvalidOperationException("ctor boom"); }
        public void Create(Broker broker, byte[] configuration) { }
        public void Receive(Message m) { }
        public void Destroy() { }
    }

    public class ThrowingCreate : IGatewayModule
    {
        public void Create(Broker broker, byte[] configuration) { Fail(); }
        private static void Fail() { throw new ApplicationException("create boom"); }
        public void Receive(Message m) { }
        public void Destroy() { }
    }

    // Throws from Receive for messages with property throw=1, echoes the others; Start
    // and Destroy throw when args say so.
    public class Throwing : IGatewayModule, IGatewayModuleStart
    {
        private Broker broker;
        private bool throwStart, throwDestroy;

        public void Create(Broker broker, byte[] configuration)
        {
            this.broker = broker;
            throwStart = Args.Int(configuration, "start", 0) != 0;
            throwDestroy = Args.Int(configuration, "destroy", 0) != 0;
        }

        public void Start()
        {
            if (throwStart) throw new InvalidOperationException("start boom");
        }

        public void Receive(Message m)
        {
            string v;
            if (m.Properties.TryGetValue("throw", out v) && v == "1")
                throw new FormatException("receive boom");
            broker.Publish(m);
        }

        public void Destroy()
        {
            if (throwDestroy) throw new InvalidOperationException("destroy boom");
        }
    }

    public class NotAModule
    {
        public void Receive(Message m) { }
    }

    public class NoDefaultCtor : IGatewayModule
    {
        public NoDefaultCtor(int x) { }
        public void Create(Broker broker, byte[] configuration) { }
        public void Receive(Message m) { }
        public void Destroy() { }
    }

    public abstract class AbstractModule : IGatewayModule
    {
        public void Create(Broker broker, byte[] configuration) { }
        public void Receive(Message m) { }
        public void Destroy() { }
    }

    // Publishes "count" messages from threads the runtime or the module makes, once
    // started. args: {"count": N, "mode": "timer" | "task" | "thread", "threads": T}.
    // Every message carries mode and seq; content is "tick <seq>".
    public class Publisher : IGatewayModule, IGatewayModuleStart
    {
        private Broker broker;
        private int count, threads;
        private string mode;
        private int next;
        private Timer timer;
        private readonly List<Thread> started = new List<Thread>();
        private volatile bool stopping;

        public void Create(Broker broker, byte[] configuration)
        {
            this.broker = broker;
            count = Args.Int(configuration, "count", 10);
            threads = Math.Max(1, Args.Int(configuration, "threads", 1));
            mode = Args.Str(configuration, "mode", "timer");
        }

        // Publishes the next message; false once count are published.
        private bool PublishOne()
        {
            int seq = Interlocked.Increment(ref next);
            if (seq > count || stopping) return false;
            broker.Publish(new Message("tick " + seq, Args.Props("mode", mode, "seq", seq.ToString(CultureInfo.InvariantCulture))));
            return true;
        }

        public void Start()
        {
            switch (mode)
            {
                case "timer":
                    timer = new Timer(_ => { for (int i = 0; i < 50 && PublishOne(); i++) { } }, null, 0, 1);
                    break;
                case "task":
                    for (int t = 0; t < threads; t++)
                        Task.Run(() => { while (PublishOne()) { } });
                    break;
                default:
                    for (int t = 0; t < threads; t++)
                    {
                        Thread th = new Thread(() => { while (PublishOne()) { } }) { IsBackground = false };
                        started.Add(th);
                        th.Start();
                    }
                    break;
            }
        }

        public void Receive(Message m) { }

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
            foreach (Thread t in started) t.Join();
        }
    }

    // Stress: echoes every message, makes garbage, and forces a collection every
    // "gc.every" messages while a timer publishes "timer.count" messages.
    public class Churn : IGatewayModule, IGatewayModuleStart
    {
        private Broker broker;
        private int gcEvery, timerCount, received, ticks;
        private Timer timer;
        private volatile bool stopping;
        private object keep;

        public void Create(Broker broker, byte[] configuration)
        {
            this.broker = broker;
            gcEvery = Math.Max(1, Args.Int(configuration, "gc.every", 1000));
            timerCount = Args.Int(configuration, "timer.count", 0);
        }

        public void Start()
        {
            if (timerCount > 0)
                timer = new Timer(_ =>
                {
                    for (int i = 0; i < 20; i++)
                    {
                        int t = Interlocked.Increment(ref ticks);
                        if (t > timerCount || stopping) return;
                        broker.Publish(new Message("timer " + t, Args.Props("from", "timer", "seq", t.ToString(CultureInfo.InvariantCulture))));
                    }
                }, null, 0, 1);
        }

        public void Receive(Message m)
        {
            keep = new byte[1024 + (received % 4096)];
            if (++received % gcEvery == 0)
                GC.Collect();
            broker.Publish(m);
        }

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
            GC.KeepAlive(keep);
        }
    }

    // Throws from a timer thread (unhandled): the runtime's policy decides what happens.
    public class UnhandledThrower : IGatewayModule, IGatewayModuleStart
    {
        public void Create(Broker broker, byte[] configuration) { }
        public void Start()
        {
            new Thread(() => { throw new InvalidOperationException("unhandled boom"); }) { IsBackground = true }.Start();
        }
        public void Receive(Message m) { }
        public void Destroy() { }
    }
}
