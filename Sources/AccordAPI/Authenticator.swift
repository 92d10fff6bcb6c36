import AccordHTTP
import AccordCrypto
import AccordNode
import AccordStore

/// Who sent a request: a bearer token (`Authorization: Bearer accord_...`), looked up by its
/// SHA-256 on every request (so a revocation holds from the next request on), or else a client
/// certificate of this node's unit.
struct Authenticator: Sendable {
    let unit: String

    /// The `WWW-Authenticate` challenge of a 401.
    static let challenge: HTTPHeaders = ["WWW-Authenticate": "Bearer realm=\"accord\""]

    /// - Throws: ``AccordHTTP/HTTPError`` 401 without credentials or with an unknown, revoked or
    ///   malformed token; 403 for a certificate of another unit.
    func authenticate(_ request: HTTPRequest, client: HTTPClient, reader: ReadLease) throws -> APIPrincipal {
        let authorizations = request.headers.values("Authorization")
        if !authorizations.isEmpty {
            guard authorizations.count == 1 else { throw unauthorized("send one Authorization header") }
            let parts = authorizations[0].split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else {
                throw unauthorized("the Authorization header must be \"Bearer <token>\"")
            }
            let secret = String(parts[1])
            guard secret.hasPrefix(APITokens.prefix), secret.utf8.count < 128 else { throw unauthorized("the bearer token is not an Accord token") }
            let hash = APITokens.hash(secret)
            let stored = try reader.read { try $0.statements.token(hash: hash) }
            guard let token = stored, token.revokedAtMillis == nil, let role = APIRole(rawValue: token.role) else {
                throw unauthorized("the bearer token is unknown or revoked")
            }
            return .token(id: token.id, name: token.name, role: role)
        }
        if let certificate = client.certificate {
            guard certificate.unit == unit else {
                throw HTTPError(.forbidden, "the client certificate is unit \(certificate.unit)'s; unit systems use their own unit's node (this is \(unit)'s)")
            }
            return .unitSystem(unit: certificate.unit)
        }
        throw unauthorized("authenticate with a bearer token (Authorization: Bearer ...) or a client certificate of unit \(unit)")
    }

    private func unauthorized(_ message: String) -> HTTPError {
        HTTPError(.unauthorized, message, headers: Self.challenge)
    }
}
