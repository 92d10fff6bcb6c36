import AccordHTTP
import AccordNode

/// Node errors as HTTP errors: what the caller got wrong gets a 4xx with the node's message;
/// what failed underneath stays as it is (a generic 500, logged).
enum APIErrors {
    static func mapping<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as NodeError {
            switch error.code {
            case .notFound: throw HTTPError(.notFound, error.message, cause: error)
            case .notAllowed, .importFailed: throw HTTPError(.unprocessableContent, error.description, cause: error)
            default: throw error
            }
        }
    }
}
