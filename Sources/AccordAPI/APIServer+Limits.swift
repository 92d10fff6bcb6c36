public import AccordNode
import AccordHTTP

extension APIServer.Settings {
    /// The default settings with the API limits of a node's configuration (`limits.api` in
    /// node.json) set; the limits it leaves out keep their defaults.
    public init(limits: NodeConfig.Limits) {
        self.init()
        if let value = limits.apiMaxConnections { http.maxConnections = value }
        if let value = limits.apiMaxRequestLineBytes { http.limits.maxRequestLineBytes = value }
        if let value = limits.apiMaxHeaderBytes { http.limits.maxHeaderBytes = value }
        if let value = limits.apiMaxHeaderCount { http.limits.maxHeaderCount = value }
        if let value = limits.apiMaxBodyBytes { http.limits.maxBodyBytes = value }
        if let value = limits.apiMaxImportBytes { maxImportBytes = value }
        if let value = limits.apiHandshakeTimeoutSeconds { handshakeTimeout = value }
        if let value = limits.apiHeaderTimeoutSeconds { http.headerTimeout = value }
        if let value = limits.apiRequestTimeoutSeconds { http.requestTimeout = value }
        if let value = limits.apiIdleTimeoutSeconds { http.idleTimeout = value }
    }
}
