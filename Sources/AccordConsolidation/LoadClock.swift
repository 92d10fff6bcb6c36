import Dispatch
import Foundation

/// Wall and process CPU time, for the phase timings of a batch load.
enum LoadClock {
    struct Reading {
        let wall: Double
        let cpu: Double
    }

    static func now() -> Reading {
        var cpu = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu)
        return Reading(
            wall: Double(DispatchTime.now().uptimeNanoseconds) / 1e9, cpu: Double(cpu.tv_sec) + Double(cpu.tv_nsec) / 1e9)
    }
}
