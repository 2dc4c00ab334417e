#include "pg/text_encoding.hpp"

#include <cstring>

#include "pg/postgres_headers.hpp"

extern "C" {
#include "catalog/namespace.h"
#include "mb/pg_wchar.h"
}

namespace wcfdw::pg {

namespace {

// Bytes 0x01-0x7F only: the same in UTF-8 and every server encoding.
bool plain_ascii(const char* text, int len) {
    for (int i = 0; i < len; ++i) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c == 0 || c >= 0x80) return false;
    }
    return true;
}

// The conversion functions between UTF-8 and the database encoding, looked
// up once: a backend's database encoding never changes.
Oid conversion_proc(bool to_server) {
    static Oid to_server_proc = InvalidOid;
    static Oid to_utf8_proc = InvalidOid;
    Oid& proc = to_server ? to_server_proc : to_utf8_proc;
    if (!OidIsValid(proc)) {
        const int db = GetDatabaseEncoding();
        proc = to_server ? FindDefaultConversionProc(PG_UTF8, db) : FindDefaultConversionProc(db, PG_UTF8);
        if (!OidIsValid(proc))
            ereport(ERROR, (errcode(ERRCODE_UNDEFINED_FUNCTION),
                            errmsg("no conversion between UTF8 and database encoding \"%s\"", GetDatabaseEncodingName()),
                            errhint("woocommerce_fdw needs the default conversions (CREATE DEFAULT CONVERSION).")));
    }
    return proc;
}

// Converts as much of `src` as possible; returns the number of source bytes
// converted and the result (palloc'd, NUL-terminated) in *out.
int convert_prefix(bool to_server, const char* src, int len, char** out, int* out_len) {
    if (static_cast<Size>(len) >= (MaxAllocSize - 1) / MAX_CONVERSION_GROWTH)
        ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                        errmsg("text of %d bytes is too long to convert to another encoding", len)));
    const int db = GetDatabaseEncoding();
    const int dest_size = len * MAX_CONVERSION_GROWTH + 1;
    unsigned char* dest = static_cast<unsigned char*>(palloc(dest_size));
    dest[0] = '\0';
    const int done = pg_do_encoding_conversion_buf(conversion_proc(to_server), to_server ? PG_UTF8 : db,
                                                   to_server ? db : PG_UTF8,
                                                   reinterpret_cast<unsigned char*>(const_cast<char*>(src)), len,
                                                   dest, dest_size, true);
    *out = reinterpret_cast<char*>(dest);
    *out_len = static_cast<int>(strlen(*out));
    return done;
}

const char* describe(const TextOrigin& origin) {
    if (!origin.object_noun) return origin.place;
    return psprintf("%s, %s " INT64_FORMAT, origin.place, origin.object_noun, origin.object_id);
}

const char* bytes_at(const char* text, int len, int pos, int count) {
    StringInfoData buf;
    initStringInfo(&buf);
    for (int i = pos; i < len && i < pos + count; ++i)
        appendStringInfo(&buf, "%s0x%02x", i > pos ? " " : "", static_cast<unsigned char>(text[i]));
    return buf.data;
}

[[noreturn]] void raise_not_utf8(const char* text, int len, int bad, const TextOrigin& origin) {
    if (text[bad] == '\0')
        ereport(ERROR, (errcode(ERRCODE_UNTRANSLATABLE_CHARACTER),
                        errmsg("%s: the store sent text with the character U+0000", describe(origin)),
                        errdetail("PostgreSQL text cannot hold U+0000."),
                        errhint("Remove the character from the text in WooCommerce.")));
    ereport(ERROR, (errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
                    errmsg("%s: the store sent text that is not valid UTF-8", describe(origin)),
                    errdetail("Invalid byte sequence %s at byte %d.", bytes_at(text, len, bad, 4), bad + 1),
                    errhint("WooCommerce sends UTF-8: check what sits between the database and the store, "
                            "or correct the text in WooCommerce.")));
    pg_unreachable();
}

[[noreturn]] void raise_unholdable(const char* text, int len, int bad, const TextOrigin& origin) {
    const int n = pg_utf_mblen(reinterpret_cast<const unsigned char*>(text + bad));
    const pg_wchar code = utf8_to_unicode(reinterpret_cast<const unsigned char*>(text + bad));
    ereport(ERROR, (errcode(ERRCODE_UNTRANSLATABLE_CHARACTER),
                    errmsg("%s: the store sent a character that database encoding \"%s\" cannot hold",
                           describe(origin), GetDatabaseEncodingName()),
                    errdetail("Character U+%04X (UTF-8 %s) has no equivalent in %s.", code,
                              bytes_at(text, len, bad, n), GetDatabaseEncodingName()),
                    errhint("Use a database with encoding UTF8 for this store, or leave this text out.")));
    pg_unreachable();
}

}  // namespace

const char* database_encoding_name() {
    return GetDatabaseEncodingName();
}

const char* store_text_to_server(const char* text, int len, int* out_len, const TextOrigin& origin) {
    *out_len = len;
    if (plain_ascii(text, len)) return text;
    const int valid = pg_encoding_verifymbstr(PG_UTF8, text, len);
    if (valid < len) raise_not_utf8(text, len, valid, origin);
    const int db = GetDatabaseEncoding();
    if (db == PG_UTF8 || db == PG_SQL_ASCII) return text;
    char* out;
    const int done = convert_prefix(true, text, len, &out, out_len);
    if (done < len) raise_unholdable(text, len, done, origin);
    return out;
}

const char* server_text_to_store(const char* text, int len, int* out_len, const TextOrigin& origin) {
    *out_len = len;
    if (plain_ascii(text, len)) return text;
    const int db = GetDatabaseEncoding();
    if (db == PG_UTF8) return text;  // database text is valid in its encoding
    if (db == PG_SQL_ASCII) {
        const int valid = pg_encoding_verifymbstr(PG_UTF8, text, len);
        if (valid < len)
            ereport(ERROR, (errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
                            errmsg("%s: text for the store is not valid UTF-8", describe(origin)),
                            errdetail("Invalid byte sequence %s at byte %d. In a SQL_ASCII database, "
                                      "woocommerce_fdw sends text as it is, and WooCommerce takes UTF-8.",
                                      bytes_at(text, len, valid, 4), valid + 1),
                            errhint("Write the text as UTF-8, or use a database with encoding UTF8.")));
        return text;
    }
    char* out;
    const int done = convert_prefix(false, text, len, &out, out_len);
    if (done < len)
        ereport(ERROR, (errcode(ERRCODE_UNTRANSLATABLE_CHARACTER),
                        errmsg("%s: a character of database encoding \"%s\" has no equivalent in UTF-8",
                               describe(origin), GetDatabaseEncodingName()),
                        errdetail("Byte sequence %s at byte %d.", bytes_at(text, len, done, 4), done + 1)));
    return out;
}

const char* server_text_to_store_or_null(const char* text, int len) {
    if (plain_ascii(text, len)) return text;
    const int db = GetDatabaseEncoding();
    if (db == PG_UTF8) return text;
    if (db == PG_SQL_ASCII) return pg_encoding_verifymbstr(PG_UTF8, text, len) == len ? text : nullptr;
    char* out;
    int out_len;
    return convert_prefix(false, text, len, &out, &out_len) == len ? out : nullptr;
}

const char* store_message_to_server(const char* text) {
    const int len = static_cast<int>(strlen(text));
    const int db = GetDatabaseEncoding();
    if (db == PG_UTF8 || db == PG_SQL_ASCII || plain_ascii(text, len)) return text;
    StringInfoData buf;
    initStringInfo(&buf);
    int pos = 0;
    while (pos < len) {
        char* part;
        int part_len;
        const int done = convert_prefix(true, text + pos, len - pos, &part, &part_len);
        appendBinaryStringInfo(&buf, part, part_len);
        pfree(part);
        pos += done;
        if (pos < len) {
            // A character it cannot hold (or a broken one): '?' instead.
            appendStringInfoChar(&buf, '?');
            const int n = pg_utf_mblen(reinterpret_cast<const unsigned char*>(text + pos));
            pos += n > 0 && pos + n <= len ? n : 1;
        }
    }
    return buf.data;
}

int server_can_hold(const char* text, int len) {
    if (plain_ascii(text, len)) return len;
    const int valid = pg_encoding_verifymbstr(PG_UTF8, text, len);
    const int db = GetDatabaseEncoding();
    if (db == PG_UTF8 || db == PG_SQL_ASCII) return valid;
    char* out;
    int out_len;
    const int done = convert_prefix(true, text, valid, &out, &out_len);
    pfree(out);
    return done;
}

}  // namespace wcfdw::pg
