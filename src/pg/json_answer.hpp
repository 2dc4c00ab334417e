// JSON the C++ side answers (the sync engine's results, test_connection's
// diagnosis) as jsonb in the database encoding. The answer is UTF-8 and
// quotes the store; a LATIN1 database cannot hold every character of it:
//   - strings under message members (error, warning, note, message, hint,
//     detail) are messages: what the encoding cannot hold becomes '?'
//     (a Japanese store's error messages must not fail an export);
//   - any other string is data (a product's name): one that does not fit is
//     22P05 naming its place in the answer and the product it belongs to,
//     before anything is written locally;
//   - U+0000, which no PostgreSQL text holds, is treated the same way.
#pragma once

#include "pg/postgres_headers.hpp"

namespace wcfdw::pg {

// `utf8_json`: palloc'd UTF-8 JSON text. Returns it in the database
// encoding. `what` names the answer in errors ("the import of connection
// 3"); with `all_messages`, every string is a message and nothing raises.
// Plain C frame; raises 22P05.
const char* json_answer_to_server(char* utf8_json, const char* what, bool all_messages);

}  // namespace wcfdw::pg
