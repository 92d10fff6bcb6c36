/// The request methods the server implements; any other method is answered 501.
public enum HTTPMethod: String, Sendable, CaseIterable, Comparable {
    /// GET.
    case get = "GET"
    /// HEAD: a GET without the body.
    case head = "HEAD"
    /// POST.
    case post = "POST"
    /// PUT.
    case put = "PUT"
    /// PATCH.
    case patch = "PATCH"
    /// DELETE.
    case delete = "DELETE"
    /// OPTIONS.
    case options = "OPTIONS"

    /// Order of declaration, for stable `Allow` headers.
    public static func < (lhs: HTTPMethod, rhs: HTTPMethod) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
