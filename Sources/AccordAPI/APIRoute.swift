import AccordHTTP
import AccordModel
import AccordNode
import AccordStore

/// One route of the API: its name (for the audit log and logs), what the caller needs, whether
/// it touches personal data (then every request is audit-logged), and its handler.
struct APIRoute: Sendable {
    /// `records.read`, `consent.check`, ...; the audit action is `api.<name>`.
    let name: String
    /// What the caller must be allowed; `nil`: any authenticated caller.
    let permission: APIPermission?
    /// Whether requests read or change personal data (and so are audit-logged).
    let personalData: Bool
    /// The most body bytes, when more than the server's default.
    let bodyLimit: Int?
    /// Answers a request.
    let handler: @Sendable (APIRequest) throws -> HTTPResponse

    init(_ name: String, _ permission: APIPermission?, personalData: Bool, bodyLimit: Int? = nil,
         _ handler: @escaping @Sendable (APIRequest) throws -> HTTPResponse) {
        self.name = name
        self.permission = permission
        self.personalData = personalData
        self.bodyLimit = bodyLimit
        self.handler = handler
    }
}
