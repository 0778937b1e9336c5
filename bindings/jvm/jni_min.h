/*
 * jni_min.h: the few JNI declarations the gateway's JVM binding needs, written for this project so that the
 * build does not depend on a JDK's include directory. The types follow the JNI specification (LP64 Linux); the
 * function tables are reached by slot number (the index of the function pointer in JNINativeInterface_ /
 * JNIInvokeInterface_, stable across JDK versions since JNI 1.1; jni_slots_test checks them against a JDK's jni.h
 * when one is installed).
 */
#ifndef GW_JNI_MIN_H
#define GW_JNI_MIN_H

#include <stdint.h>

typedef int32_t jint;
typedef int64_t jlong;
typedef int8_t jbyte;
typedef uint8_t jboolean;
typedef uint16_t jchar;
typedef int16_t jshort;
typedef float jfloat;
typedef double jdouble;
typedef jint jsize;

typedef struct gw_jobject_opaque *jobject;
typedef jobject jclass;
typedef jobject jstring;
typedef jobject jthrowable;
typedef jobject jarray;
typedef jarray jbyteArray;
typedef jarray jobjectArray;
typedef struct gw_jmethod_opaque *jmethodID;

typedef union jvalue {
    jboolean z;
    jbyte b;
    jchar c;
    jshort s;
    jint i;
    jlong j;
    jfloat f;
    jdouble d;
    jobject l;
} jvalue;

/* A JNIEnv / JavaVM is a pointer to a pointer to a table of function pointers. */
typedef void *const *JNIEnv;
typedef void *const *JavaVM;

#define JNI_OK 0
#define JNI_ERR (-1)
#define JNI_EDETACHED (-2)
#define JNI_EVERSION (-3)
#define JNI_ENOMEM (-4)
#define JNI_EEXIST (-5)
#define JNI_EINVAL (-6)

#define JNI_FALSE 0
#define JNI_TRUE 1

#define JNI_VERSION_1_1 0x00010001
#define JNI_VERSION_1_2 0x00010002
#define JNI_VERSION_1_4 0x00010004
#define JNI_VERSION_1_6 0x00010006
#define JNI_VERSION_1_8 0x00010008

typedef struct JavaVMOption {
    char *optionString;
    void *extraInfo;
} JavaVMOption; /* 16 bytes */

typedef struct JavaVMInitArgs {
    jint version;
    jint nOptions;
    JavaVMOption *options;
    jboolean ignoreUnrecognized;
} JavaVMInitArgs; /* 24 bytes */

typedef struct JavaVMAttachArgs {
    jint version;
    char *name;
    jobject group;
} JavaVMAttachArgs; /* 24 bytes */

typedef struct JNINativeMethod {
    char *name;
    char *signature;
    void *fnPtr;
} JNINativeMethod; /* 24 bytes */

/* Slots of JNINativeInterface_ (the JNIEnv table). */
enum {
    GW_JNI_GetVersion = 4,
    GW_JNI_FindClass = 6,
    GW_JNI_ExceptionOccurred = 15,
    GW_JNI_ExceptionDescribe = 16,
    GW_JNI_ExceptionClear = 17,
    GW_JNI_PushLocalFrame = 19,
    GW_JNI_PopLocalFrame = 20,
    GW_JNI_NewGlobalRef = 21,
    GW_JNI_DeleteGlobalRef = 22,
    GW_JNI_DeleteLocalRef = 23,
    GW_JNI_GetStaticMethodID = 113,
    GW_JNI_CallStaticObjectMethodA = 116,
    GW_JNI_CallStaticIntMethodA = 131,
    GW_JNI_CallStaticVoidMethodA = 143,
    GW_JNI_GetArrayLength = 171,
    GW_JNI_NewByteArray = 176,
    GW_JNI_GetByteArrayRegion = 200,
    GW_JNI_SetByteArrayRegion = 208,
    GW_JNI_RegisterNatives = 215,
    GW_JNI_ExceptionCheck = 228,
};

/* Slots of JNIInvokeInterface_ (the JavaVM table). */
enum {
    GW_JVM_DestroyJavaVM = 3,
    GW_JVM_AttachCurrentThread = 4,
    GW_JVM_DetachCurrentThread = 5,
    GW_JVM_GetEnv = 6,
    GW_JVM_AttachCurrentThreadAsDaemon = 7,
};

/* The exported entry points of libjvm.so. */
typedef jint (*gw_JNI_CreateJavaVM_fn)(JavaVM **pvm, void **penv, void *args);
typedef jint (*gw_JNI_GetCreatedJavaVMs_fn)(JavaVM **vms, jsize len, jsize *n);

#endif
