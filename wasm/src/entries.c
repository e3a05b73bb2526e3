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

static int parse_int(const char *s, uint32_t n, int64_t *out)
{
    uint32_t i = 0;
    int neg = 0;
    if (n && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        i = 1;
    }
    if (i == n || n - i > 15)
        return 0;
    int64_t v = 0;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = neg ? -v : v;
    return 1;
}

static void put_msg(char *buf, uint32_t cap, const char *a, const char *b, const char *c)
{
    uint32_t len = 0; /* a bounded concatenation into the caller's buffer: no allocation */
    const char *parts[3] = { a, b, c };
    for (int k = 0; k < 3; k++)
        for (const char *p = parts[k]; p && *p && len + 1 < cap; p++)
            buf[len++] = *p;
    buf[len] = 0;
}

int wsx_args_parse(ws_runtime *rt, const wsx_entry *e, const char *text, uint32_t len, wsx_args *args, char **block,
                   uint32_t *block_len, char *errbuf, uint32_t errlen)
{
    memset(args, 0, sizeof *args);
    *block = NULL;
    *block_len = 0;
    uint8_t seen[WSX_MAX_PARAMS] = { 0 };
    if (e->nparams > WSX_MAX_PARAMS) {
        put_msg(errbuf, errlen, e->name, ": more parameters than WSX_MAX_PARAMS", "");
        return WS_EINVAL;
    }
    /* One copy of the text, '\n' and '=' turned into NULs, so string values can point into it. */
    char *copy = ws_alloc(rt, len + 1);
    if (!copy) {
        put_msg(errbuf, errlen, "out of memory", "", "");
        return WS_ENOMEM;
    }
    if (len)
        memcpy(copy, text, len);
    copy[len] = 0;
    uint32_t pos = 0;
    while (pos < len) {
        uint32_t end = pos;
        while (end < len && copy[end] != '\n')
            end++;
        copy[end] = 0;
        if (end > pos) {
            char *line = copy + pos;
            char *eq = strchr(line, '=');
            if (!eq) {
                put_msg(errbuf, errlen, "malformed argument line: ", line, "");
                goto invalid;
            }
            *eq = 0;
            const char *value = eq + 1;
            uint32_t vlen = (uint32_t)(copy + end - value);
            uint32_t j = 0;
            while (j < e->nparams && strcmp(e->params[j].name, line) != 0)
                j++;
            if (j == e->nparams) {
                put_msg(errbuf, errlen, "unknown parameter '", line, "'");
                goto invalid;
            }
            const wsx_param *p = &e->params[j];
            if (p->kind == WSX_URL || p->kind == WSX_TEXT) {
                if (p->kind == WSX_URL && vlen == 0) {
                    put_msg(errbuf, errlen, "parameter '", p->name, "' must be a URL");
                    goto invalid;
                }
                /* JS escapes newlines and backslashes in values ("\\n", "\\\\"): undo it in place. */
                char *w = (char *)value;
                for (const char *r = value; *r; r++) {
                    if (*r == '\\' && (r[1] == 'n' || r[1] == '\\'))
                        *w++ = *++r == 'n' ? '\n' : '\\';
                    else
                        *w++ = *r;
                }
                *w = 0;
                args->str[j] = value;
                args->len[j] = (uint32_t)(w - value);
            } else {
                int64_t v;
                if (!parse_int(value, vlen, &v) || v < p->min || v > p->max) {
                    wsx_buf b;
                    wsx_buf_init(rt, &b);
                    wsx_buf_str(&b, "parameter '");
                    wsx_buf_str(&b, p->name);
                    wsx_buf_str(&b, "' must be an integer from ");
                    wsx_buf_int(&b, p->min);
                    wsx_buf_str(&b, " to ");
                    wsx_buf_int(&b, p->max);
                    put_msg(errbuf, errlen, b.p ? b.p : "parameter out of range", "", "");
                    wsx_buf_free(&b);
                    goto invalid;
                }
                args->num[j] = v;
            }
            seen[j] = 1;
        }
        pos = end + 1;
    }
    for (uint32_t j = 0; j < e->nparams; j++) {
        if (seen[j])
            continue;
        const wsx_param *p = &e->params[j];
        if (p->kind == WSX_URL || p->kind == WSX_TEXT) {
            args->str[j] = p->def_str ? p->def_str : "";
            args->len[j] = (uint32_t)strlen(args->str[j]);
        } else {
            args->num[j] = p->def;
        }
    }
    *block = copy;
    *block_len = len + 1;
    return WS_OK;
invalid:
    ws_free(rt, copy, len + 1);
    return WS_EINVAL;
}
