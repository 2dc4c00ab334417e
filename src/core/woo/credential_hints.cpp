#include "core/woo/credential_hints.hpp"

namespace wcfdw {
namespace {

bool contains(const std::string& text, const char* part) { return text.find(part) != std::string::npos; }

// A server name as SQL would need it written (an identifier).
std::string sql_identifier(const std::string& name) {
    bool plain = !name.empty() && !(name[0] >= '0' && name[0] <= '9');
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) plain = false;
    if (plain) return name;
    std::string out = "\"";
    for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

// "ALTER USER MAPPING ... SERVER shop OPTIONS (SET option '...')", or a
// phrase when the server is not known.
std::string alter_mapping(const CredentialSource& source, const char* options) {
    if (source.server_name.empty()) return std::string("ALTER USER MAPPING ... OPTIONS (") + options + ")";
    return "ALTER USER MAPPING FOR CURRENT_USER SERVER " + sql_identifier(source.server_name) + " OPTIONS (" +
           options + ")";
}

std::string update_connection(const CredentialSource& source, const char* arguments) {
    return "SELECT woocommerce.update_connection(" + std::to_string(source.connection_id) + ", " + arguments + ");";
}

}  // namespace

std::string credential_hint(const std::string& text, const CredentialSource& source) {
    using Kind = CredentialSource::Kind;
    if (contains(text, "Consumer secret is invalid")) {
        const std::string what = "The consumer secret does not belong to this consumer key: ";
        switch (source.kind) {
            case Kind::Arguments:
                return what + "pass the secret WooCommerce showed when it created this key (it shows it only once; "
                              "if it is lost, create a new key under WooCommerce > Settings > Advanced > REST API).";
            case Kind::Connection:
                return what + "store the right one with " + update_connection(source, "consumer_secret => 'cs_...'");
            case Kind::UserMapping:
                return what + "update the user mapping's consumer_secret: " +
                       alter_mapping(source, "SET consumer_secret 'cs_...'") + ".";
        }
    }
    if (contains(text, "Consumer key is invalid")) {
        const std::string what = "The store does not know this consumer key: copy it again from WooCommerce > Settings "
                                 "> Advanced > REST API, or create a new key";
        switch (source.kind) {
            case Kind::Arguments:
                return what + ", and pass it with its secret.";
            case Kind::Connection:
                return what + "; then " + update_connection(source, "consumer_key => 'ck_...', consumer_secret => 'cs_...'");
            case Kind::UserMapping:
                return what + "; then " + alter_mapping(source, "SET consumer_key 'ck_...', SET consumer_secret 'cs_...'") +
                       ".";
        }
    }
    return {};
}

std::string check_keys_hint(const CredentialSource& source) {
    switch (source.kind) {
        case CredentialSource::Kind::Arguments:
            return "Check the consumer key and secret passed.";
        case CredentialSource::Kind::Connection:
            return "Check the connection's keys; " +
                   update_connection(source, "consumer_key => 'ck_...', consumer_secret => 'cs_...'") + " changes them.";
        case CredentialSource::Kind::UserMapping:
            break;
    }
    return "Check the consumer key and secret in the user mapping" +
           (source.server_name.empty() ? std::string() : " for server " + sql_identifier(source.server_name)) + ".";
}

}  // namespace wcfdw
