import AccordCrypto
import Foundation

/// Bearer tokens of the HTTPS API: `accord_` followed by 32 random bytes in base64url (256 bits
/// from the system's CSPRNG). The node stores only the SHA-256 of the whole token; a request's
/// token is hashed and looked up by that hash.
public enum APITokens {
    /// The prefix every token starts with (so that a leaked token is easy to recognize and scan for).
    public static let prefix = "accord_"

    /// The SHA-256 of a token, as stored.
    public static func hash(_ secret: String) -> [UInt8] { SHA256.hash(Array(secret.utf8)).bytes }

    /// Whether a name is acceptable: 1 to 64 characters, letters, digits and `. _ - @`.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64 && name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || [UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "@")].contains(byte)
        }
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
