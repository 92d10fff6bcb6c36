import AccordHTTP

/// Every route of the API, in one table. To add a route: write its handler (a function
/// `(APIRequest) throws -> HTTPResponse` in a `*Routes` file), add one line here with its method,
/// path, name, permission and whether it touches personal data, and describe it in
/// `docs/openapi.json` (a test fails until the file and this table list the same routes).
enum APIRoutes {
    static func router(maxImportBytes: Int) -> Router<APIRoute> {
        var router = Router<APIRoute>()
        router.add(.get, "/metrics", APIRoute("metrics", .readFederation, personalData: false, MetricsRoutes.metrics))
        router.add(.get, "/v1/whoami", APIRoute("whoami", nil, personalData: false, FederationRoutes.whoami))
        router.add(.get, "/v1/status", APIRoute("status", .readFederation, personalData: false, FederationRoutes.status))
        router.add(.get, "/v1/digests", APIRoute("digests", .readFederation, personalData: false, FederationRoutes.digests))
        router.add(.get, "/v1/rejected", APIRoute("rejected", .readFederation, personalData: false, FederationRoutes.rejected))
        router.add(.get, "/v1/inventory", APIRoute("inventory", .readFederation, personalData: false, InventoryRoutes.inventory))
        router.add(.get, "/v1/audit", APIRoute("audit", .readAudit, personalData: true, FederationRoutes.audit))
        router.add(.get, "/v1/records", APIRoute("records.list", .readRecords, personalData: true, RecordRoutes.list))
        router.add(.get, "/v1/records/{owner}/{id}", APIRoute("records.read", .readRecords, personalData: true, RecordRoutes.read))
        router.add(.patch, "/v1/records/{owner}/{id}", APIRoute("records.write", .writeRecords, personalData: true, RecordRoutes.write))
        router.add(.post, "/v1/records/{owner}/{id}/consent", APIRoute("consent.record", .writeRecords, personalData: true, ConsentRoutes.record))
        router.add(.get, "/v1/records/{owner}/{id}/consent", APIRoute("consent.check", .readRecords, personalData: true, ConsentRoutes.check))
        router.add(.get, "/v1/records/{owner}/{id}/consent/receipt",
                   APIRoute("consent.receipt", .readRecords, personalData: true, ConsentRoutes.receipt))
        router.add(.post, "/v1/records/{owner}/{id}/interactions",
                   APIRoute("interactions.add", .writeRecords, personalData: true, SubjectRoutes.interaction))
        router.add(.post, "/v1/records/{owner}/{id}/export", APIRoute("subject.export", .exportSubject, personalData: true, SubjectRoutes.export))
        router.add(.post, "/v1/subject-exports", APIRoute("subject.export.person", .exportSubject, personalData: true, SubjectRoutes.exportPerson))
        router.add(.get, "/v1/profiles", APIRoute("profiles.search", .readRecords, personalData: true, ProfileRoutes.search))
        router.add(.get, "/v1/profiles/{id}", APIRoute("profiles.read", .readRecords, personalData: true, ProfileRoutes.read))
        router.add(.get, "/v1/review", APIRoute("review.list", .reviewMatches, personalData: true, ProfileRoutes.reviewList))
        router.add(.post, "/v1/review/{pair}/accept", APIRoute("review.accept", .reviewMatches, personalData: true, ProfileRoutes.accept))
        router.add(.post, "/v1/review/{pair}/reject", APIRoute("review.reject", .reviewMatches, personalData: true, ProfileRoutes.reject))
        router.add(.post, "/v1/segments/preview", APIRoute("segments.preview", .readRecords, personalData: true, SegmentRoutes.preview))
        router.add(.post, "/v1/segments/export", APIRoute("segments.export", .exportSegments, personalData: true, SegmentRoutes.export))
        router.add(.get, "/v1/segments", APIRoute("segments.list", .readRecords, personalData: true, SegmentRoutes.list))
        router.add(.put, "/v1/segments/{name}", APIRoute("segments.save", .manageSegments, personalData: true, SegmentRoutes.save))
        router.add(.delete, "/v1/segments/{name}", APIRoute("segments.delete", .manageSegments, personalData: true, SegmentRoutes.delete))
        router.add(.get, "/v1/segments/{name}/figures", APIRoute("segments.figures", .readFederation, personalData: false, SegmentRoutes.figures))
        router.add(.post, "/v1/import",
                   APIRoute("import", .importRecords, personalData: true, bodyLimit: maxImportBytes, ImportRoutes.run))
        return router
    }
}
