public import AccordNode
public import AccordStore
import AccordCrypto
import Foundation

extension Node {
    /// Creates a bearer token; the secret is returned once and never stored.
    /// - Parameters:
    ///   - role: what it grants.
    ///   - name: who or what it is for (default `token-<id>`); unique among live tokens.
    /// - Throws: ``AccordNode/NodeError`` `.notAllowed` for a malformed or taken name, `.storage`.
    public func createToken(role: APIRole, name: String?, operatorName: String = Node.operatorName) throws -> IssuedToken {
        let id = try SecureRandom.bytes(count: 6).map { String(format: "%02x", $0) }.joined()
        let name = name ?? "token-\(id)"
        guard APITokens.isValidName(name) else {
            throw NodeError(.notAllowed, "a token name has 1 to 64 letters, digits, '.', '_', '-' or '@'")
        }
        let live: [StoredToken]
        do { live = try store.tokens().filter { $0.revokedAtMillis == nil } } catch { throw NodeError(.storage, "cannot read the tokens", cause: error) }
        guard !live.contains(where: { $0.name == name }) else {
            throw NodeError(.notAllowed, "a live token is named \(name) already (revoke it first, or choose another name)")
        }
        let secret = APITokens.prefix + APITokens.base64URL(try SecureRandom.bytes(count: 32))
        let token = StoredToken(id: id, name: name, role: role.rawValue, createdAtMillis: Int64(now()), createdBy: operatorName)
        do {
            try store.insertToken(token, hash: APITokens.hash(secret))
        } catch {
            throw NodeError(.storage, "cannot store the token", cause: error)
        }
        try audit("token.create", subject: "token \(id)", detail: "name \(name), role \(role.rawValue)", operatorName: operatorName)
        return IssuedToken(secret: secret, token: token)
    }

    /// Every token the node knows, live and revoked (no secrets: they are not stored).
    public func apiTokens() throws -> [StoredToken] {
        do { return try store.tokens() } catch { throw NodeError(.storage, "cannot read the tokens", cause: error) }
    }

    /// Revokes a token by its id or its live name; requests with it are refused from then on.
    /// - Throws: ``AccordNode/NodeError`` `.notFound` when no token has that id or live name.
    @discardableResult
    public func revokeToken(_ idOrName: String, operatorName: String = Node.operatorName) throws -> StoredToken {
        let all = try apiTokens()
        guard let target = all.first(where: { $0.id == idOrName }) ?? all.first(where: { $0.name == idOrName && $0.revokedAtMillis == nil })
        else { throw NodeError(.notFound, "no token with id or live name \(idOrName)") }
        let revoked: StoredToken?
        do {
            revoked = try store.revokeToken(id: target.id, at: Int64(now()))
        } catch {
            throw NodeError(.storage, "cannot revoke the token", cause: error)
        }
        try audit("token.revoke", subject: "token \(target.id)", detail: "name \(target.name)", operatorName: operatorName)
        return revoked ?? target
    }
}
