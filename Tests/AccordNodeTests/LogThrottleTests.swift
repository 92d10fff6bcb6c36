import AccordNode
import Testing

/// One line per interval, the rest counted and reported with the next line let through.
@Suite("Log throttle")
struct LogThrottleTests {
    @Test func oneLinePerIntervalWithTheCountHeldBack() {
        let throttle = LogThrottle(interval: 10)
        #expect(throttle.admit(now: 100) == 0)
        #expect(throttle.admit(now: 100.5) == nil)
        #expect(throttle.admit(now: 109.9) == nil)
        #expect(throttle.admit(now: 110) == 2)
        #expect(throttle.admit(now: 111) == nil)
        #expect(throttle.admit(now: 200) == 1)
        #expect(throttle.admit(now: 210) == 0)
    }
}
