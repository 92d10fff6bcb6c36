import AccordCrypto
import Foundation
import Synchronization

/// The dashboard's login sessions, in memory: a session is made when a person signs in with a
/// bearer token, and its cookie holds a random secret of which only the SHA-256 is kept here,
/// with the SHA-256 of the token (so a revoked token ends its sessions at the next request) and
/// the session's CSRF token. Sessions end after ``lifetime``, at logout, or when the node stops.
final class DashboardSessions: Sendable {
    /// One signed-in person.
    struct Session: Sendable {
        /// The SHA-256 of the bearer token signed in with (as `api_tokens` stores it).
        var tokenHash: [UInt8]
        /// The value every form must send back.
        var csrf: String
        /// When the session ends, seconds since 1970.
        var expiresAt: Double
    }

    /// The cookie's name.
    static let cookieName = "accord_session"
    /// How long a session lasts, seconds.
    let lifetime: Double
    /// Most sessions at once (the oldest ends first).
    let capacity: Int
    private let sessions = Mutex<[String: Session]>([:])

    init(lifetime: Double = 8 * 3600, capacity: Int = 1000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// Starts a session for the token with hash `tokenHash`.
    /// - Returns: the cookie's secret (given to the browser only) and the session.
    func create(tokenHash: [UInt8]) throws -> (secret: String, session: Session) {
        let secret = APITokens.base64URL(try SecureRandom.bytes(count: 32))
        let session = Session(tokenHash: tokenHash, csrf: APITokens.base64URL(try SecureRandom.bytes(count: 24)),
                              expiresAt: Date().timeIntervalSince1970 + lifetime)
        let key = Self.key(secret)
        sessions.withLock { sessions in
            let now = Date().timeIntervalSince1970
            sessions = sessions.filter { $0.value.expiresAt > now }
            while sessions.count >= capacity, let oldest = sessions.min(by: { $0.value.expiresAt < $1.value.expiresAt }) {
                sessions.removeValue(forKey: oldest.key)
            }
            sessions[key] = session
        }
        return (secret, session)
    }

    /// The live session of a cookie secret, if any.
    func session(secret: String) -> Session? {
        let key = Self.key(secret)
        return sessions.withLock { sessions in
            guard let session = sessions[key] else { return nil }
            guard session.expiresAt > Date().timeIntervalSince1970 else {
                sessions.removeValue(forKey: key)
                return nil
            }
            return session
        }
    }

    /// Ends the session of a cookie secret.
    func end(secret: String) {
        _ = sessions.withLock { $0.removeValue(forKey: Self.key(secret)) }
    }

    /// How many sessions are live (for tests).
    var count: Int { sessions.withLock { $0.count } }

    private static func key(_ secret: String) -> String {
        SHA256.hash(Array(secret.utf8)).bytes.map { String(format: "%02x", $0) }.joined()
    }
}
