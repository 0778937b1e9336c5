// Package jvm is the "java" module loader: it hosts Java modules written for the SDK v1 Java binding
// (com.microsoft.azure.gateway.core.GatewayModule and friends) in a JVM inside the gateway process.
//
// Configuration (SDK-compatible):
//
//	loader configuration: {"jvm.options": {"library.path", "version", "debug", "debug.port", "verbose",
//	                       "additional.options": [...], "class.path"}, "binding.path"}
//	entry point:          {"class.name": "com/example/Printer" (or "com.example.Printer"), "class.path": "a.jar:dir"}
//
// "library.path" names libjvm.so (a file, or a directory holding it directly, in server/ or in lib/server/).
// When it names a directory without libjvm.so it has the SDK's meaning (the directory of the binding's native
// library) and becomes -Djava.library.path; libjvm.so is then found from $JAVA_HOME, the default JDK, the java
// on $PATH, or /usr/lib/jvm, in that order. "binding.path" names this binding's jar (gateway-java-binding.jar,
// or a directory holding it); without it the jar is looked for in $GATEWAY_JAVA_BINDING, beside the executable
// or shared library that contains the gateway, and in their lib/ and java/ neighbours.
//
// # Module life cycle
//
// The SDK's Java module host constructed the module's class with the constructor
// (long address, Broker broker, String configuration); GatewayModule's constructor calls create(...) itself.
// This loader does the same: Create loads the class (JNI form a/b/C or dotted form) and invokes that
// constructor — that is the module's creation; create() is not called a second time. A class that implements
// IGatewayModule without such a constructor but with a no-argument one is constructed with it and then
// create(address, broker, configuration) is called. The configuration is the module's "args" as compact JSON,
// or null when "args" is absent. Start calls start(), Receive calls receive(byte[]) for each message (a
// GatewayModule subclass that does not override receive(byte[]) gets receive(Message) with the message parsed in
// place), Destroy calls destroy(). An exception thrown by the constructor fails Create (the error carries the
// exception, the log carries its stack trace and the module name); an exception thrown by receive is logged and
// the next messages are still delivered; exceptions from start and destroy are logged.
//
// The address given to a module is an integer this package issues (1, 2, ...); Broker.publishMessage(message,
// address) from any Java thread reaches the native method ModuleHost.publish (registered with RegisterNatives),
// which finds the module by that integer and publishes through its broker.Endpoint. The broker address is the
// module's BROKER_HANDLE and is not used for routing.
//
// # Class loading
//
// One JVM per process, created by the first Create and never destroyed. Its class path is the binding jar plus
// jvm.options.class.path. Module classes are loaded by one shared URLClassLoader (a child of the JVM's class
// loader) to which each module's class.path is added before its class is loaded: like the SDK's single JVM class
// path, every module sees the classes of the modules loaded before it, and modules added later work. The JVM is
// started with the options of the loader that starts it; a later loader with different options is logged and
// uses the running JVM.
//
// # Threading
//
// The JVM is created on a dedicated goroutine locked to its OS thread for the life of the process (never the
// process's primordial thread, where HotSpot must not run). A start that fails inside JNI_CreateJavaVM is final
// for the process (HotSpot keeps state from a failed start; a retry came up without its class path): later
// Creates return an error that says so. A libjvm.so that cannot be loaded or a missing binding jar is not final.
//
// Each module instance has its own goroutine, locked to its OS thread and attached to the JVM (as a daemon
// thread named "gateway-module-<name>") from Create to Destroy; Create, Start, every Receive batch and Destroy
// run there, so a Java module sees all calls on one thread, never concurrently. Destroy detaches the thread and
// lets it end. A Receive batch is serialized into one byte array and handed to Java with one JNI call
// (ModuleHost.receive), which splits it and calls the module for each message. Publishing from the module
// thread while it is inside a receive never blocks (the broker's inReceive rule); publishing from other Java
// threads may block when a sink's queue is full and the overflow policy says so.
//
// The JVM installs signal handlers without SA_ONSTACK; the binding adds SA_ONSTACK to every handler right after
// the JVM starts (and after each module is created and started, in case Java code installed more), so Go panics
// and signals keep working. The JVM is started with -Xrs so SIGINT/SIGTERM/SIGHUP/SIGQUIT stay with the
// gateway.
//
// # Memory
//
// JNI structures (JavaVMInitArgs and its options, JNINativeMethod, attach arguments) are built in C memory by
// jni_bridge.c. The JVM option strings are C memory allocated once and kept for the life of the process (the
// JVM may keep pointers into them). Each instance owns a C gw_jmod (global references to the Java module object
// and to a reusable batch byte[]) that Destroy frees. Go byte slices passed to C are only read during the call.
// Error texts returned by C are malloc'd and freed by the Go side after copying. Every C wrapper deletes the
// local references it creates (module threads never return to Java, so local references would otherwise live
// until Detach).
package jvm
