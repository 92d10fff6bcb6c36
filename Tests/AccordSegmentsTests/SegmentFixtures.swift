import AccordPolicy
import AccordSegments

/// A small policy with the sample's lifecycle, units and consent model, and helpers to build facts.
enum SegmentFixtures {
    static let text = """
        {"format": "accord-policy/1", "federation": "f", "version": 1,
         "defaults": {"country": "DE", "dateOrder": "dayFirst"}, "clock": {"maxFutureMillis": 60000},
         "units": [{"id": "governance", "roles": ["governance"]}, {"id": "retail", "roles": ["unit"], "lineOfBusiness": "retail"},
                   {"id": "insurance", "roles": ["unit"]}, {"id": "webshop", "roles": ["unit"], "lineOfBusiness": "retail"}],
         "shareClasses": [{"name": "identity", "audience": "all"}, {"name": "contact", "audience": "all"},
                          {"name": "financial", "audience": ["insurance"]}, {"name": "consent", "audience": "all"},
                          {"name": "interactions", "audience": ["retail", "webshop"]}],
         "attributes": [{"name": "given_name", "type": "name", "shareClass": "identity", "pii": "direct"},
                        {"name": "email", "type": "email", "multiValued": true, "shareClass": "contact", "pii": "direct"},
                        {"name": "phone", "type": "phone", "multiValued": true, "shareClass": "contact", "pii": "direct"},
                        {"name": "city", "type": "text", "shareClass": "contact", "pii": "indirect"},
                        {"name": "postcode", "type": "postcode", "shareClass": "contact", "pii": "indirect"},
                        {"name": "customer_since", "type": "date", "shareClass": "identity", "pii": "none"},
                        {"name": "iban", "type": "text", "shareClass": "financial", "pii": "sensitive"}],
         "consent": {"channels": ["email", "sms"], "purposes": ["marketing", "service"], "shareClass": "consent"},
         "interactions": {"shareClass": "interactions", "retentionDays": {"purchase": 730, "call": 365}},
         "lifecycle": {"stages": [
            {"name": "active", "rule": {"interaction": {"type": "purchase", "withinDays": 365}}},
            {"name": "lapsed", "rule": {"interaction": {"type": "purchase", "withinDays": 730}}},
            {"name": "past", "rule": {"attribute": "customer_since"}},
            {"name": "prospect", "rule": "always"}]}}
        """
    static let policy = try! Policy.parse(Array(text.utf8), source: "fixture")
    static let day = LifecycleEvaluator.dayMillis
    static let now: Int64 = 1_780_000_000_000

    static func purchase(daysAgo: Int64, record: String = "retail/C-1", id: String = "e", channel: String = "store") -> FactInteraction {
        FactInteraction(type: "purchase", channel: channel, atMillis: now - daysAgo * day, record: record, author: String(record.prefix { $0 != "/" }),
                        attribute: "interaction:\(id)")
    }
}
