/* logger - look-alike of the SDK's logger module.
 *
 * Args: {"filename": "log.txt"}  (required; relative to the gateway's working
 *       directory).
 * Behaviour: the file holds one JSON array and is a valid JSON array after
 * every write.
 *  - Create opens the file (creating it if needed). A new or empty file starts
 *    a new array "["; an existing non-empty file must end (after optional
 *    white space) with "]", which is removed so that new entries continue the
 *    existing array. A non-empty file that does not end with "]" makes Create
 *    fail (the file is left untouched).
 *  - Create writes {"time":"<strftime %c>","content":"Log started"}.
 *  - Every received message adds
 *    {"time":"...","properties":<Map_ToJSON of the properties>,"content":"<base64 of the content>"}.
 *  - Destroy writes {"time":"...","content":"Log stopped"} and closes the file.
 *  Entries are separated by ","; each write is the entry followed by "]", then
 *  the file position moves back over that "]" for the next entry.
 * Library: liblogger.so.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "azure_c_shared_utility/constbuffer.h"
#include "azure_c_shared_utility/constmap.h"
#include "azure_c_shared_utility/map.h"
#include "azure_c_shared_utility/strings.h"
#include "azure_c_shared_utility/xlogging.h"
#include "module.h"
#include "parson.h"

typedef struct LOGGER_CONFIG_TAG
{
    char* filename; /* malloc'd */
} LOGGER_CONFIG;

typedef struct LOGGER_TAG
{
    FILE* file;       /* positioned just before the closing "]" */
    int has_entries;  /* 1 when the next entry needs a leading "," */
} LOGGER;

/* ---- base64 (RFC 4648, standard alphabet, with padding) ------------------ */

static const char logger_b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Returns a malloc'd NUL-terminated base64 text of data[0..size), or NULL. */
static char* logger_base64(const unsigned char* data, size_t size)
{
    size_t out_len = (size + 2) / 3 * 4;
    char* out = (char*)malloc(out_len + 1);
    size_t i = 0, o = 0;
    if (out == NULL)
    {
        return NULL;
    }
    while (size - i >= 3)
    {
        unsigned long v = ((unsigned long)data[i] << 16) | ((unsigned long)data[i + 1] << 8) | data[i + 2];
        out[o++] = logger_b64_alphabet[(v >> 18) & 0x3F];
        out[o++] = logger_b64_alphabet[(v >> 12) & 0x3F];
        out[o++] = logger_b64_alphabet[(v >> 6) & 0x3F];
        out[o++] = logger_b64_alphabet[v & 0x3F];
        i += 3;
    }
    if (size - i == 1)
    {
        unsigned long v = (unsigned long)data[i] << 16;
        out[o++] = logger_b64_alphabet[(v >> 18) & 0x3F];
        out[o++] = logger_b64_alphabet[(v >> 12) & 0x3F];
        out[o++] = '=';
        out[o++] = '=';
    }
    else if (size - i == 2)
    {
        unsigned long v = ((unsigned long)data[i] << 16) | ((unsigned long)data[i + 1] << 8);
        out[o++] = logger_b64_alphabet[(v >> 18) & 0x3F];
        out[o++] = logger_b64_alphabet[(v >> 12) & 0x3F];
        out[o++] = logger_b64_alphabet[(v >> 6) & 0x3F];
        out[o++] = '=';
    }
    out[o] = '\0';
    return out;
}

/* ---- file handling ---------------------------------------------------------- */

/* Writes "<,>{"time":"<now>",<body>}]" and moves back over the "]".
 * body is the rest of the entry's members without braces. Returns 0 or -1. */
static int logger_write_entry(LOGGER* l, const char* body)
{
    char when[128];
    time_t t = time(NULL);
    struct tm tmv;
    if (localtime_r(&t, &tmv) == NULL || strftime(when, sizeof(when), "%c", &tmv) == 0)
    {
        when[0] = '\0';
    }
    if (fprintf(l->file, "%s{\"time\":\"%s\",%s}]", l->has_entries ? "," : "", when, body) < 0 ||
        fflush(l->file) != 0 ||
        fseek(l->file, -1L, SEEK_CUR) != 0)
    {
        LogError("logger: write failed: %s", strerror(errno));
        return -1;
    }
    l->has_entries = 1;
    return 0;
}

/* Opens path and positions the stream where the next entry goes (see the
 * header comment). Returns 0 or -1 (logged, nothing changed on disk unless
 * the file did not exist). */
static int logger_open(LOGGER* l, const char* path)
{
    long size, pos;
    int c;
    l->file = fopen(path, "r+b");
    if (l->file == NULL && errno == ENOENT)
    {
        l->file = fopen(path, "w+b");
    }
    if (l->file == NULL)
    {
        LogError("logger: cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    if (fseek(l->file, 0L, SEEK_END) != 0 || (size = ftell(l->file)) < 0)
    {
        LogError("logger: cannot seek %s: %s", path, strerror(errno));
        goto fail;
    }
    /* find the last non-space byte: it must be the closing "]" */
    pos = size;
    c = ' ';
    while (pos > 0 && (c == ' ' || c == '\t' || c == '\r' || c == '\n'))
    {
        pos--;
        if (fseek(l->file, pos, SEEK_SET) != 0 || (c = fgetc(l->file)) == EOF)
        {
            LogError("logger: cannot read %s", path);
            goto fail;
        }
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
    {
        /* empty or only white space: start a new array */
        pos = 0;
        l->has_entries = 0;
    }
    else if (c != ']' || pos == 0)
    {
        LogError("logger: %s is not empty and does not end with a JSON array; not appending to it", path);
        goto fail;
    }
    else
    {
        /* is the array empty, i.e. is the previous non-space byte "["? */
        long q = pos;
        int p = ']';
        while (q > 0)
        {
            q--;
            if (fseek(l->file, q, SEEK_SET) != 0 || (p = fgetc(l->file)) == EOF)
            {
                LogError("logger: cannot read %s", path);
                goto fail;
            }
            if (!(p == ' ' || p == '\t' || p == '\r' || p == '\n'))
            {
                break;
            }
        }
        l->has_entries = (p != '[');
    }
    /* drop the "]" and anything after it (the next write puts "]" back);
     * for an empty file start the array */
    if (fseek(l->file, pos, SEEK_SET) != 0 || ftruncate(fileno(l->file), (off_t)pos) != 0 ||
        fseek(l->file, pos, SEEK_SET) != 0 || (pos == 0 && fputs("[", l->file) < 0))
    {
        LogError("logger: cannot prepare %s: %s", path, strerror(errno));
        goto fail;
    }
    return 0;
fail:
    (void)fclose(l->file);
    l->file = NULL;
    return -1;
}

/* ---- module API ------------------------------------------------------------- */

static void* Logger_ParseConfigurationFromJson(const char* configuration)
{
    JSON_Value* root;
    JSON_Object* obj;
    const char* name;
    LOGGER_CONFIG* cfg = NULL;
    if (configuration == NULL)
    {
        LogError("logger: args are required: {\"filename\": \"...\"}");
        return NULL;
    }
    root = json_parse_string(configuration);
    if (root == NULL)
    {
        LogError("logger: args are not valid JSON: %s", configuration);
        return NULL;
    }
    obj = json_value_get_object(root);
    name = (obj == NULL) ? NULL : json_object_get_string(obj, "filename");
    if (name == NULL || name[0] == '\0')
    {
        LogError("logger: args: filename must be a non-empty string");
    }
    else if ((cfg = (LOGGER_CONFIG*)malloc(sizeof(LOGGER_CONFIG))) == NULL ||
             (cfg->filename = (char*)malloc(strlen(name) + 1)) == NULL)
    {
        LogError("logger: out of memory");
        free(cfg);
        cfg = NULL;
    }
    else
    {
        strcpy(cfg->filename, name);
    }
    json_value_free(root);
    return cfg;
}

static void Logger_FreeConfiguration(void* configuration)
{
    LOGGER_CONFIG* cfg = (LOGGER_CONFIG*)configuration;
    if (cfg != NULL)
    {
        free(cfg->filename);
        free(cfg);
    }
}

static MODULE_HANDLE Logger_Create(BROKER_HANDLE broker, const void* configuration)
{
    const LOGGER_CONFIG* cfg = (const LOGGER_CONFIG*)configuration;
    LOGGER* l;
    if (broker == NULL || cfg == NULL || cfg->filename == NULL)
    {
        LogError("logger: invalid arguments (broker=%p, configuration=%p)", (void*)broker, configuration);
        return NULL;
    }
    l = (LOGGER*)calloc(1, sizeof(LOGGER));
    if (l == NULL)
    {
        LogError("logger: out of memory");
        return NULL;
    }
    if (logger_open(l, cfg->filename) != 0)
    {
        free(l);
        return NULL;
    }
    if (logger_write_entry(l, "\"content\":\"Log started\"") != 0)
    {
        (void)fclose(l->file);
        free(l);
        return NULL;
    }
    return (MODULE_HANDLE)l;
}

static void Logger_Receive(MODULE_HANDLE module, MESSAGE_HANDLE message)
{
    LOGGER* l = (LOGGER*)module;
    CONSTMAP_HANDLE cprops;
    MAP_HANDLE props;
    STRING_HANDLE json;
    const CONSTBUFFER* content;
    char* b64;
    char* body;
    size_t n;

    if (l == NULL || message == NULL)
    {
        LogError("logger: NULL module or message");
        return;
    }
    content = Message_GetContent(message);
    cprops = Message_GetProperties(message);
    if (content == NULL || cprops == NULL)
    {
        LogError("logger: cannot read the message");
        if (cprops != NULL)
        {
            ConstMap_Destroy(cprops);
        }
        return;
    }
    props = ConstMap_CloneWriteable(cprops);
    ConstMap_Destroy(cprops);
    if (props == NULL)
    {
        LogError("logger: ConstMap_CloneWriteable failed");
        return;
    }
    json = Map_ToJSON(props);
    Map_Destroy(props);
    if (json == NULL)
    {
        LogError("logger: Map_ToJSON failed");
        return;
    }
    b64 = logger_base64(content->buffer, content->size);
    if (b64 == NULL)
    {
        LogError("logger: out of memory");
        STRING_delete(json);
        return;
    }
    n = strlen(STRING_c_str(json)) + strlen(b64) + 32;
    body = (char*)malloc(n);
    if (body == NULL)
    {
        LogError("logger: out of memory");
    }
    else
    {
        (void)snprintf(body, n, "\"properties\":%s,\"content\":\"%s\"", STRING_c_str(json), b64);
        (void)logger_write_entry(l, body);
        free(body);
    }
    free(b64);
    STRING_delete(json);
}

static void Logger_Destroy(MODULE_HANDLE module)
{
    LOGGER* l = (LOGGER*)module;
    if (l == NULL)
    {
        return;
    }
    (void)logger_write_entry(l, "\"content\":\"Log stopped\"");
    if (fclose(l->file) != 0)
    {
        LogError("logger: close failed: %s", strerror(errno));
    }
    free(l);
}

static const MODULE_API_1 Logger_Api =
{
    { MODULE_API_VERSION_1 },
    Logger_ParseConfigurationFromJson,
    Logger_FreeConfiguration,
    Logger_Create,
    Logger_Destroy,
    Logger_Receive,
    NULL /* no Start */
};

MODULE_EXPORT const MODULE_API* Module_GetApi(MODULE_API_VERSION gateway_api_version)
{
    (void)gateway_api_version;
    return (const MODULE_API*)&Logger_Api;
}
