internal import COpenSSL
internal import Foundation

/// Who the peer of a ``TLSConnection`` is, read from its verified leaf certificate.
///
/// The unit comes from the certificate's one `accord://unit/<unit-id>` SAN URI; the other
/// fields are for logs and audit.
public struct PeerIdentity: Sendable, Equatable {
    /// The business unit id, matching `^[a-z][a-z0-9_-]{0,62}$`.
    public let unit: String
    /// The certificate subject as an RFC 2253 one-line string, for logs.
    public let subject: String
    /// The certificate serial number in upper-case hex.
    public let serialHex: String
    /// The end of the certificate's validity as ISO 8601 UTC (`2027-01-31T12:00:00Z`), when readable.
    public let notAfter: String?

    /// The SAN URI prefix that names a unit.
    public static let unitURIPrefix = "accord://unit/"

    /// Creates an identity (for tests and callers that build identities themselves).
    ///
    /// - Parameters:
    ///   - unit: the unit id.
    ///   - subject: the RFC 2253 subject.
    ///   - serialHex: the serial number in hex.
    ///   - notAfter: the end of validity, ISO 8601 UTC.
    public init(unit: String, subject: String, serialHex: String, notAfter: String?) {
        self.unit = unit
        self.subject = subject
        self.serialHex = serialHex
        self.notAfter = notAfter
    }

    /// Whether `unit` is a valid unit id: `^[a-z][a-z0-9_-]{0,62}$`.
    ///
    /// - Parameter unit: the candidate id.
    /// - Returns: `true` when it matches.
    public static func isValidUnit(_ unit: String) -> Bool {
        let bytes = Array(unit.utf8)
        guard let first = bytes.first, bytes.count <= 63, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first)
        else { return false }
        return bytes.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }

    /// Why a certificate does not name exactly one valid unit.
    struct Problem: Error {
        let reason: String
    }

    /// Reads the identity of an X.509 certificate (`X509 *`), which it does not take ownership of.
    ///
    /// - Throws: ``Problem`` when the certificate has no SAN, no `accord://unit/` URI, several of
    ///   them, or a malformed unit id.
    static func read(certificate: OpaquePointer) throws -> PeerIdentity {
        let subject = subjectLine(certificate)
        let uris = unitURIs(certificate)
        guard uris.count == 1 else {
            if uris.isEmpty {
                throw Problem(reason: "certificate \(subject) has no \(unitURIPrefix)<unit-id> SAN URI")
            }
            throw Problem(reason: "certificate \(subject) has \(uris.count) \(unitURIPrefix) SAN URIs, expected exactly one")
        }
        let unit = String(uris[0].dropFirst(unitURIPrefix.count))
        guard isValidUnit(unit) else {
            throw Problem(reason: "certificate \(subject) names a malformed unit id (must match ^[a-z][a-z0-9_-]{0,62}$)")
        }
        return PeerIdentity(
            unit: unit, subject: subject, serialHex: serialHex(certificate), notAfter: notAfter(certificate))
    }

    /// The SAN URIs that start with ``unitURIPrefix`` (case-insensitively on the scheme and path).
    private static func unitURIs(_ certificate: OpaquePointer) -> [String] {
        guard let raw = X509_get_ext_d2i(certificate, NID_subject_alt_name, nil, nil) else { return [] }
        let names = OpaquePointer(raw)
        defer { accord_general_names_free(names) }
        var found: [String] = []
        for index in 0..<accord_sk_general_name_num(names) {
            guard let name = accord_sk_general_name_value(names, index), let uri = accord_general_name_uri(name)
            else { continue }
            let length = Int(ASN1_STRING_length(uri))
            guard let data = ASN1_STRING_get0_data(uri), length > 0 else { continue }
            let bytes = UnsafeBufferPointer(start: data, count: length)
            // Reject embedded NULs and non-ASCII instead of guessing.
            let text = String(decoding: bytes, as: UTF8.self)
            if text.lowercased().hasPrefix(unitURIPrefix) {
                found.append(bytes.allSatisfy { $0 > 0x20 && $0 < 0x7F } ? text : unitURIPrefix + "?")
            }
        }
        return found
    }

    static func subjectLine(_ certificate: OpaquePointer) -> String {
        guard let name = X509_get_subject_name(certificate), let bio = BIO_new(BIO_s_mem()) else { return "?" }
        defer { BIO_free(bio) }
        guard X509_NAME_print_ex(bio, name, 0, accord_xn_flag_rfc2253()) >= 0 else { return "?" }
        var data: UnsafeMutablePointer<CChar>? = nil
        let length = accord_bio_get_mem_data(bio, &data)
        guard length > 0, let data else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
    }

    private static func serialHex(_ certificate: OpaquePointer) -> String {
        guard let serial = X509_get0_serialNumber(certificate), let number = ASN1_INTEGER_to_BN(serial, nil) else {
            return "?"
        }
        defer { BN_free(number) }
        guard let hex = BN_bn2hex(number) else { return "?" }
        defer { accord_openssl_free(hex) }
        return String(cString: hex)
    }

    private static func notAfter(_ certificate: OpaquePointer) -> String? {
        guard let time = X509_get0_notAfter(certificate) else { return nil }
        var parts = tm()
        guard ASN1_TIME_to_tm(time, &parts) == 1 else { return nil }
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}
