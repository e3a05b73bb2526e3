/* entries.c: strings that cross to JS, argument parsing, and the registry as JSON. No stdio: it would double
 * the size of the module. */
#include "entries.h"

#include <string.h>

void wsx_fail(ws_runtime *rt, ws_future *f, int err, const char *msg)
{
    f->err = (int8_t)err;
    f->out = (int64_t)(intptr_t)(msg ? ws_bytes_new(rt, msg, (uint32_t)strlen(msg)) : NULL);
}

/* ---- builder ---- */

void wsx_buf_init(ws_runtime *rt, wsx_buf *b)
{
    memset(b, 0, sizeof *b);
    b->rt = rt;
}

void wsx_buf_add(wsx_buf *b, const char *s, uint32_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        uint32_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = ws_alloc(b->rt, cap);
        if (!p) {
            b->failed = 1;
            return;
        }
        if (b->len)
            memcpy(p, b->p, b->len);
        ws_free(b->rt, b->p, b->cap);
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

void wsx_buf_str(wsx_buf *b, const char *s) { wsx_buf_add(b, s, (uint32_t)strlen(s)); }

void wsx_buf_json_str(wsx_buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    wsx_buf_add(b, "\"", 1);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            char e[2] = { '\\', (char)c };
            wsx_buf_add(b, e, 2);
        } else if (c < 0x20) {
            char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
            wsx_buf_add(b, e, 6);
        } else {
            wsx_buf_add(b, (const char *)&c, 1);
        }
    }
    wsx_buf_add(b, "\"", 1);
}

void wsx_buf_int(wsx_buf *b, int64_t v)
{
    char tmp[24];
    int i = (int)sizeof tmp;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        tmp[--i] = '-';
    wsx_buf_add(b, tmp + i, (uint32_t)(sizeof tmp - (size_t)i));
}

ws_bytes *wsx_buf_finish(wsx_buf *b)
{
    ws_bytes *s = b->failed ? NULL : ws_bytes_new(b->rt, b->p, b->len);
    wsx_buf_free(b);
    return s;
}

void wsx_buf_free(wsx_buf *b)
{
    ws_free(b->rt, b->p, b->cap);
    ws_runtime *rt = b->rt;
    memset(b, 0, sizeof *b);
    b->rt = rt;
}

/* ---- registry ---- */

const wsx_entry *wsx_entry_find(const char *name, uint32_t len)
{
    for (uint32_t i = 0; i < wsx_entry_count; i++) {
        const char *n = wsx_entries[i]->name;
        if (strlen(n) == len && memcmp(n, name, len) == 0)
            return wsx_entries[i];
    }
    return NULL;
}

static const char *kind_name(wsx_param_kind k)
{
    switch (k) {
    case WSX_MS: return "ms";
    case WSX_INT: return "int";
    case WSX_URL: return "url";
    case WSX_VALUE: return "value";
    default: return "text";
    }
}

ws_bytes *wsx_entries_json(ws_runtime *rt)
{
    wsx_buf b;
    wsx_buf_init(rt, &b);
    wsx_buf_str(&b, "[");
    for (uint32_t i = 0; i < wsx_entry_count; i++) {
        const wsx_entry *e = wsx_entries[i];
        wsx_buf_str(&b, i ? ",{\"name\":" : "{\"name\":");
        wsx_buf_json_str(&b, e->name);
        wsx_buf_str(&b, ",\"title\":");
        wsx_buf_json_str(&b, e->title);
        wsx_buf_str(&b, ",\"description\":");
        wsx_buf_json_str(&b, e->description);
        wsx_buf_str(&b, e->example ? ",\"example\":true" : ",\"example\":false");
        wsx_buf_str(&b, e->out_string == WSX_OUT_VALUE    ? ",\"output\":\"value\",\"params\":["
                        : e->out_string == WSX_OUT_STRING ? ",\"output\":\"string\",\"params\":["
                                                          : ",\"output\":\"number\",\"params\":[");
        for (uint32_t j = 0; j < e->nparams; j++) {
            const wsx_param *p = &e->params[j];
            wsx_buf_str(&b, j ? ",{\"name\":" : "{\"name\":");
            wsx_buf_json_str(&b, p->name);
            wsx_buf_str(&b, ",\"label\":");
            wsx_buf_json_str(&b, p->label);
            wsx_buf_str(&b, ",\"kind\":");
            wsx_buf_json_str(&b, kind_name(p->kind));
            wsx_buf_str(&b, ",\"default\":");
            if (p->kind == WSX_URL || p->kind == WSX_TEXT) {
                wsx_buf_json_str(&b, p->def_str ? p->def_str : "");
            } else if (p->kind == WSX_VALUE) {
                wsx_buf_str(&b, "null,\"types\":");
                wsx_buf_int(&b, p->types);
            } else {
                wsx_buf_int(&b, p->def);
                wsx_buf_str(&b, ",\"min\":");
                wsx_buf_int(&b, p->min);
                wsx_buf_str(&b, ",\"max\":");
                wsx_buf_int(&b, p->max);
            }
            wsx_buf_str(&b, "}");
        }
        wsx_buf_str(&b, "]}");
    }
    wsx_buf_str(&b, "]");
    return wsx_buf_finish(&b);
}

/* ---- arguments ---- */

static void put_msg(char *buf, uint32_t cap, const char *a, const char *b, const char *c)
{
    uint32_t len = 0; /* a bounded concatenation into the caller's buffer: no allocation */
    const char *parts[3] = { a, b, c };
    for (int k = 0; k < 3; k++)
        for (const char *p = parts[k]; p && *p && len + 1 < cap; p++)
            buf[len++] = *p;
    buf[len] = 0;
}

static int fail(char *buf, uint32_t cap, const wsx_param *p, const char *what)
{
    put_msg(buf, cap, "parameter '", p->name, what);
    return WS_EINVAL;
}

/* Data of `len` bytes at `at` (plus a NUL after it when `nul`) inside [lo, hi). */
static int inside(const uint8_t *at, uint32_t len, int nul, const uint8_t *lo, const uint8_t *hi)
{
    return at >= lo && at <= hi && len + (uint32_t)nul <= (uint32_t)(hi - at) && (!nul || at[len] == 0);
}

int wsx_args_take(const wsx_entry *e, const ws_value *values, uint32_t n, const uint8_t *data, uint32_t data_len,
                  wsx_args *args, char *errbuf, uint32_t errlen)
{
    memset(args, 0, sizeof *args);
    if (e->nparams > WSX_MAX_PARAMS || n > e->nparams) {
        put_msg(errbuf, errlen, e->name, ": too many arguments", "");
        return WS_EINVAL;
    }
    const uint8_t *end = data + data_len;
    for (uint32_t j = 0; j < e->nparams; j++) {
        const wsx_param *p = &e->params[j];
        ws_value v = j < n ? values[j] : ws_value_undefined();
        int given = v.type != WS_VALUE_UNDEFINED;
        int has_data = v.type == WS_VALUE_STRING || v.type == WS_VALUE_BYTES || v.type == WS_VALUE_JSON;
        if (v.type >= WS_VALUE_TYPE_COUNT)
            return fail(errbuf, errlen, p, "' has an unknown value type");
        if (has_data && !inside(v.as.data, v.len, v.type == WS_VALUE_STRING, data, end))
            return fail(errbuf, errlen, p, "' points outside its argument block");
        switch (p->kind) {
        case WSX_MS:
        case WSX_INT: {
            int64_t x = p->def;
            if (v.type == WS_VALUE_NUMBER) {
                double d = v.as.number;
                if (!(d >= -9007199254740991.0 && d <= 9007199254740991.0) || d != (double)(int64_t)d)
                    return fail(errbuf, errlen, p, "' must be an integer");
                x = (int64_t)d;
            } else if (v.type == WS_VALUE_BIGINT) {
                x = v.as.bigint;
            } else if (given) {
                return fail(errbuf, errlen, p, "' must be a number");
            }
            if (x < p->min || x > p->max)
                return fail(errbuf, errlen, p, "' is out of range");
            args->num[j] = x;
            break;
        }
        case WSX_URL:
        case WSX_TEXT:
            if (v.type == WS_VALUE_STRING) {
                args->str[j] = (const char *)v.as.data;
                args->len[j] = v.len;
            } else if (!given) {
                args->str[j] = p->def_str ? p->def_str : "";
                args->len[j] = (uint32_t)strlen(args->str[j]);
            } else {
                return fail(errbuf, errlen, p, "' must be a string");
            }
            if (p->kind == WSX_URL && args->len[j] == 0)
                return fail(errbuf, errlen, p, "' must be a URL");
            break;
        default: /* WSX_VALUE */
            if (p->types && !(p->types & WSX_TYPE(v.type)))
                return fail(errbuf, errlen, p, given ? "' does not take a value of this type" : "' is required");
            args->val[j] = v;
            break;
        }
    }
    return WS_OK;
}
