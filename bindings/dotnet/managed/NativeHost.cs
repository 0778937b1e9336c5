// The host side of the binding: entry points the gateway calls (through the embedding
// API) to create modules and deliver messages. Nothing here is public API.
using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Threading;

namespace Microsoft.Azure.IoT.Gateway
{
    internal static class NativeHost
    {
        private static readonly object Gate = new object();
        private static readonly List<string> SearchDirectories = new List<string>();
        private static bool initialized;
        private static bool parkUnhandled;

        // Called once, right after this assembly is loaded. park != 0: a thread whose
        // exception nobody caught is parked for ever instead of ending the process.
        internal static void Initialize(int park)
        {
            lock (Gate)
            {
                if (initialized)
                    return;
                initialized = true;
                parkUnhandled = park != 0;
                AppDomain.CurrentDomain.AssemblyResolve += Resolve;
                AppDomain.CurrentDomain.UnhandledException += Unhandled;
            }
        }

        // Adds a directory searched for the dependencies of module assemblies.
        internal static void AddSearchDirectory(string dir)
        {
            lock (Gate)
            {
                if (!SearchDirectories.Contains(dir))
                    SearchDirectories.Add(dir);
            }
        }

        // Runs on the thread that threw, before the runtime ends the process. Mono 6.8 has
        // no legacy (1.x) policy to keep the process alive, so with parkUnhandled the
        // thread never returns from here: it stays blocked, the gateway and the other
        // modules go on. (An exception escaping a finalizer parks the finalizer thread:
        // finalization then stops for the whole runtime.)
        private static void Unhandled(object sender, UnhandledExceptionEventArgs e)
        {
            Thread t = Thread.CurrentThread;
            string who = "managed thread " + t.ManagedThreadId + (string.IsNullOrEmpty(t.Name) ? "" : " (" + t.Name + ")");
            if (!parkUnhandled || !e.IsTerminating)
            {
                NativeMethods.Log(0, NativeMethods.LogError, "unhandled exception in " + who + "; the runtime ends the process: " + e.ExceptionObject);
                return;
            }
            NativeMethods.Log(0, NativeMethods.LogError, "unhandled exception in " + who + "; the thread is parked for ever (the gateway goes on): " + e.ExceptionObject);
            Thread.Sleep(Timeout.Infinite);
        }

        private static Assembly Resolve(object sender, ResolveEventArgs args)
        {
            AssemblyName wanted = new AssemblyName(args.Name);
            // Modules built against another build of this assembly bind to this one.
            if (wanted.Name == typeof(NativeHost).Assembly.GetName().Name)
                return typeof(NativeHost).Assembly;
            List<string> dirs = new List<string>();
            if (args.RequestingAssembly != null && !string.IsNullOrEmpty(args.RequestingAssembly.Location))
                dirs.Add(Path.GetDirectoryName(args.RequestingAssembly.Location));
            lock (Gate)
            {
                dirs.AddRange(SearchDirectories);
            }
            foreach (string dir in dirs)
            {
                foreach (string ext in new[] { ".dll", ".exe" })
                {
                    string path = Path.Combine(dir, wanted.Name + ext);
                    if (File.Exists(path))
                        return Assembly.LoadFrom(path);
                }
            }
            return null;
        }

        // Finds the module type; returns an error text or null.
        private static string FindType(string assemblyPath, string typeName, out Type type)
        {
            type = null;
            Assembly asm;
            try
            {
                asm = Assembly.LoadFrom(assemblyPath);
            }
            catch (Exception e)
            {
                return "cannot load assembly \"" + assemblyPath + "\": " + e.Message;
            }
            Type t;
            try
            {
                t = asm.GetType(typeName, false);
            }
            catch (Exception e)
            {
                return "entry.type \"" + typeName + "\": " + e.Message;
            }
            if (t == null)
                return "entry.type \"" + typeName + "\": no such type in assembly \"" + asm.GetName().Name + "\" (" + assemblyPath + ")";
            if (!typeof(IGatewayModule).IsAssignableFrom(t))
                return "entry.type \"" + typeName + "\": does not implement " + typeof(IGatewayModule).FullName;
            if (t.IsAbstract || t.IsInterface || t.ContainsGenericParameters)
                return "entry.type \"" + typeName + "\": is abstract or generic and cannot be created";
            if (t.GetConstructor(Type.EmptyTypes) == null)
                return "entry.type \"" + typeName + "\": has no public parameterless constructor";
            type = t;
            return null;
        }

        // Checks that typeName in assemblyPath can be a module; returns an error or null.
        internal static string CheckType(string assemblyPath, string typeName)
        {
            try
            {
                Type t;
                return FindType(assemblyPath, typeName, out t);
            }
            catch (Exception e)
            {
                return e.ToString();
            }
        }

        // Creates a module: loads the assembly, constructs typeName with its parameterless
        // constructor and calls Create. Returns the ModuleHost, or a string saying what
        // failed (the exception text and stack when module code threw).
        internal static object CreateModule(long id, string name, string assemblyPath, string typeName, byte[] configuration)
        {
            try
            {
                Type t;
                string err = FindType(assemblyPath, typeName, out t);
                if (err != null)
                    return err;
                IGatewayModule module;
                try
                {
                    module = (IGatewayModule)Activator.CreateInstance(t);
                }
                catch (TargetInvocationException e)
                {
                    return "constructor of " + typeName + " threw: " + (e.InnerException ?? e);
                }
                catch (Exception e)
                {
                    return "constructor of " + typeName + " failed: " + e;
                }
                try
                {
                    module.Create(new Broker(id), configuration);
                }
                catch (Exception e)
                {
                    return typeName + ".Create threw: " + e;
                }
                return new ModuleHost(id, name, module);
            }
            catch (Exception e)
            {
                return "creating " + typeName + " failed: " + e;
            }
        }
    }

    // One created module, kept alive by the gateway through a GC handle.
    internal sealed class ModuleHost
    {
        private readonly long id;
        private readonly string name;
        private readonly IGatewayModule module;
        private readonly IGatewayModuleStart start;

        // Exceptions thrown by Receive are logged, at most LogBurst per second.
        private const int LogBurst = 10;
        private long windowStart;
        private int loggedInWindow;
        private long suppressed;

        internal ModuleHost(long id, string name, IGatewayModule module)
        {
            this.id = id;
            this.name = name;
            this.module = module;
            this.start = module as IGatewayModuleStart;
        }

        // Calls Start if the module implements IGatewayModuleStart. Returns an error or null.
        internal string Start()
        {
            if (start == null)
                return null;
            try
            {
                start.Start();
                return null;
            }
            catch (Exception e)
            {
                return "Start threw: " + e;
            }
        }

        // Delivers the messages serialized back to back in buffer[0, length): each starts
        // with its header and its total size (bytes 2-5, big-endian).
        internal void Receive(byte[] buffer, int length)
        {
            int pos = 0;
            while (pos < length)
            {
                Message m;
                int size;
                try
                {
                    if (length - pos < 14)
                        throw new ArgumentException("truncated batch");
                    size = Message.GetInt32(buffer, pos + 2);
                    if (size < 14 || size > length - pos)
                        throw new ArgumentException("bad message size " + size + " in batch");
                    m = new Message(buffer, pos, size);
                }
                catch (Exception e)
                {
                    NativeMethods.Log(id, NativeMethods.LogError, "module \"" + name + "\": cannot decode a received message; dropping the rest of the batch: " + e.Message);
                    return;
                }
                pos += size;
                try
                {
                    module.Receive(m);
                }
                catch (Exception e)
                {
                    ReceiveFailed(e);
                }
            }
        }

        private void ReceiveFailed(Exception e)
        {
            long now = Environment.TickCount;
            if (now - windowStart >= 1000 || now < windowStart)
            {
                if (suppressed > 0)
                    NativeMethods.Log(id, NativeMethods.LogError, "Receive threw " + suppressed + " more exceptions (not logged)");
                windowStart = now;
                loggedInWindow = 0;
                suppressed = 0;
            }
            if (loggedInWindow < LogBurst)
            {
                loggedInWindow++;
                NativeMethods.Log(id, NativeMethods.LogError, "Receive threw: " + e);
            }
            else
            {
                suppressed++;
            }
        }

        // Calls Destroy. Returns an error or null.
        internal string Destroy()
        {
            try
            {
                module.Destroy();
                return null;
            }
            catch (Exception e)
            {
                return "Destroy threw: " + e;
            }
        }
    }
}
