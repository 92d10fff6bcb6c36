/// The sample federation policy (`Config/policy.json`), built in so that `accord init` and
/// `accord demo` work without any file. Regenerate with `ops/embed-sample-policy.sh`.
public enum SamplePolicy {
    /// The policy document, byte for byte as in `Config/policy.json`.
    public static let text = #"""
{
  "format": "accord-policy/1",
  "federation": "acme",
  "version": 1,
  "defaults": { "country": "DE", "dateOrder": "dayFirst" },
  "clock": { "maxFutureMillis": 60000 },
  "units": [
    { "id": "governance", "name": "Central governance", "roles": ["governance"], "lineOfBusiness": "corporate" },
    { "id": "retail", "name": "Retail stores", "roles": ["unit"], "lineOfBusiness": "retail", "country": "DE" },
    { "id": "insurance", "name": "Acme Insurance", "roles": ["unit"], "lineOfBusiness": "insurance", "country": "DE" },
    { "id": "support", "name": "Customer support", "roles": ["unit"], "lineOfBusiness": "service", "country": "DE" },
    { "id": "webshop", "name": "Web shop", "roles": ["unit"], "lineOfBusiness": "retail", "country": "DE" }
  ],
  "shareClasses": [
    { "name": "identity", "description": "Who the customer is: names, birth date, customer since, segment.", "audience": ["retail", "insurance", "support", "webshop", "governance"] },
    { "name": "contact", "description": "How to reach the customer: email, phone, postal address.", "audience": "all" },
    { "name": "financial", "description": "Bank details; insurance only.", "audience": ["insurance", "governance"] },
    { "name": "consent", "description": "Consent decisions and their evidence.", "audience": "all" },
    { "name": "interactions", "description": "Contacts with the customer: purchases, calls, tickets.", "audience": ["retail", "webshop", "support"] },
    { "name": "erasure", "description": "Erasure requests and every unit's acknowledgement: the proof of deletion.", "audience": "all" },
    { "name": "stewardship", "description": "Data stewards' must-link and cannot-link decisions on identity resolution.", "audience": "all" }
  ],
  "attributes": [
    { "name": "given_name", "type": "name", "shareClass": "identity", "pii": "direct", "maxLength": 100, "purposes": ["marketing", "service"] },
    { "name": "family_name", "type": "name", "shareClass": "identity", "pii": "direct", "maxLength": 100, "purposes": ["marketing", "service"] },
    { "name": "birth_date", "type": "date", "shareClass": "identity", "pii": "direct", "purposes": ["service"] },
    { "name": "email", "type": "email", "multiValued": true, "shareClass": "contact", "pii": "direct", "purposes": ["marketing", "service"] },
    { "name": "phone", "type": "phone", "multiValued": true, "shareClass": "contact", "pii": "direct", "purposes": ["marketing", "service"] },
    { "name": "street", "type": "text", "shareClass": "contact", "pii": "direct", "maxLength": 200, "purposes": ["marketing", "service"] },
    { "name": "city", "type": "text", "shareClass": "contact", "pii": "indirect", "purposes": ["marketing", "service", "research"] },
    { "name": "postcode", "type": "postcode", "shareClass": "contact", "pii": "indirect", "purposes": ["marketing", "service", "research"] },
    { "name": "country", "type": "country", "shareClass": "contact", "pii": "indirect", "purposes": ["marketing", "service", "research"] },
    { "name": "customer_since", "type": "date", "shareClass": "identity", "pii": "none", "purposes": ["marketing", "research"] },
    { "name": "segment", "type": "enum", "allowedValues": ["standard", "premium", "business"], "shareClass": "identity", "pii": "none", "purposes": ["marketing", "research"] },
    { "name": "iban", "type": "text", "shareClass": "financial", "pii": "sensitive", "pattern": "^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$", "authors": ["insurance"], "purposes": ["service"] }
  ],
  "consent": { "channels": ["email", "sms", "phone", "mail"], "purposes": ["marketing", "service", "research"], "shareClass": "consent" },
  "interactions": { "shareClass": "interactions", "retentionDays": { "purchase": 730, "call": 365, "ticket": 365, "visit": 180 } },
  "lifecycle": {
    "stages": [
      { "name": "active", "description": "A purchase in any unit within the last 365 days.", "rule": { "interaction": { "type": "purchase", "withinDays": 365 } } },
      { "name": "lapsed", "description": "A purchase within 730 days (the purchase retention), none within 365.", "rule": { "interaction": { "type": "purchase", "withinDays": 730 } } },
      { "name": "past", "description": "A customer (customer_since set) with no purchase on record.", "rule": { "attribute": "customer_since" } },
      { "name": "prospect", "description": "Known to a unit, never a customer.", "rule": "always" }
    ]
  },
  "erasure": { "shareClass": "erasure", "requesters": ["governance", "retail", "insurance", "support", "webshop"] },
  "retention": { "financial": 3650 },
  "identityResolution": {
    "rules": {
      "blocking": { "keys": ["email", "phone", "namePhoneticBirthDate", "postcodeBirthDate", "givenInitialFamilyPostcode", "emailLocalPart", "address"], "maxBlockSize": 40 },
      "thresholds": { "link": 8, "review": 0 }
    },
    "stewardship": { "shareClass": "stewardship", "stewards": ["governance", "retail", "insurance", "support", "webshop"] }
  },
  "survivorship": {
    "scalars": { "kind": "mostRecent" },
    "sets": { "kind": "union" },
    "attributes": {
      "birth_date": { "kind": "sourcePriority", "units": ["insurance", "retail"] }
    }
  },
  "writeRules": [
    { "writer": "support", "attributes": ["email", "phone"], "owners": ["retail", "webshop", "insurance"] }
  ]
}
"""#
}
