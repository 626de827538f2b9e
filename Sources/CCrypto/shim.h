// SHA-256 of the data files: OpenSSL's libcrypto (Debian libssl-dev), its EVP digest API.
#include <openssl/evp.h>
