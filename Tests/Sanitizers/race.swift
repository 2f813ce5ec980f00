// A deliberate data race, for CI: two concurrentPerform iterations, started
// together through a relaxed atomic (which orders nothing), write one
// unsynchronized counter. Run under ThreadSanitizer it must be reported;
// otherwise the clean sanitizer run of the test suite would prove nothing.
import Dispatch
import Synchronization

final class Counter: @unchecked Sendable {
    var value = 0
}

let counter = Counter()
let arrived = Atomic<Int>(0)
DispatchQueue.concurrentPerform(iterations: 2) { _ in
    arrived.add(1, ordering: .relaxed)
    // Wait for the other iteration, but not forever: GCD may run them one
    // after the other.
    var spins = 0
    while arrived.load(ordering: .relaxed) < 2 && spins < 100_000_000 { spins += 1 }
    for _ in 0..<100_000 { counter.value += 1 }
}
print("counted \(counter.value) of 200000")
