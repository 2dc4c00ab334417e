// Text between the store and the database. WooCommerce speaks UTF-8; the
// database may use any server encoding. Everything read from a store is
// checked as UTF-8 and converted to the database encoding, everything sent
// is converted to UTF-8; the C++ core only ever sees UTF-8.
//
//   UTF8       checked (valid UTF-8, no U+0000), never copied
//   SQL_ASCII  no conversion is possible: text is kept and sent as UTF-8
//              bytes, and must be valid UTF-8 both ways
//   any other  converted; a character the database encoding cannot hold is
//              22P05 for data, '?' in messages
//
// All functions here are PostgreSQL-side (plain C frames); the ones that
// raise say so. Text is ASCII most of the time: that is checked first and
// costs nothing more.
#pragma once

#include "pg/postgres_headers.hpp"

namespace wcfdw::pg {

// Where a text belongs, for errors: `place` (column "name" of foreign
// table "products"), then the object (", product 42") when object_noun is
// set. Plain data, built once per column.
struct TextOrigin {
    const char* place;
    const char* object_noun;  // "product"; nullptr when no object applies
    int64 object_id;
};

// Store text (UTF-8, `len` bytes) in the database encoding, NUL-terminated:
// `text` itself when nothing changes, else a palloc'd copy. Raises 22021
// when it is not valid UTF-8 or holds U+0000, 22P05 when the database
// encoding has no equivalent for a character; both name `origin`.
const char* store_text_to_server(const char* text, int len, int* out_len, const TextOrigin& origin);

// Database text as UTF-8 for the store (same contract, the other way).
// Raises 22021 (SQL_ASCII text that is not UTF-8) or 22P05, naming `origin`.
const char* server_text_to_store(const char* text, int len, int* out_len, const TextOrigin& origin);

// The same, but NULL instead of an error (a pushed-down filter value that
// the store could never match stays a local condition).
const char* server_text_to_store_or_null(const char* text, int len);

// For messages, which must never fail: UTF-8 to the database encoding with
// '?' for what it cannot hold. `text` itself or a palloc'd copy; never
// raises except out of memory.
const char* store_message_to_server(const char* text);

// How many leading bytes of UTF-8 `text` the database encoding can hold
// (all of them for UTF8 and SQL_ASCII; invalid UTF-8 stops it too). Never
// raises.
int server_can_hold(const char* text, int len);

// The database encoding's name, for messages ("LATIN1").
const char* database_encoding_name();

}  // namespace wcfdw::pg
