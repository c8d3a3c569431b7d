@testable import CairnRuntime
import Testing

@Suite("Places of running steps")
struct StepSlotsTests {
    let start = ContinuousClock.now

    @Test("as many steps as cores start at once; more start beside them once they have run a while")
    func youngStepsHoldTheCores() {
        var slots = StepSlots(limit: 32, eager: 2)
        #expect(slots.admission(at: start) == .now)
        slots.take("a", at: start)
        slots.take("b", at: start + .microseconds(100))
        #expect(slots.admission(at: start + .microseconds(200)) == .at(start + StepSlots.patience))
        #expect(slots.admission(at: start + StepSlots.patience) == .now)
        slots.take("c", at: start + StepSlots.patience)
        #expect(slots.admission(at: start + StepSlots.patience) == .at(start + .microseconds(100) + StepSlots.patience))
        slots.release("c")
        #expect(slots.admission(at: start + StepSlots.patience) == .now)
    }

    @Test("no more steps than the limit run, however long they have run")
    func theLimitHolds() {
        var slots = StepSlots(limit: 3, eager: 2)
        for name in ["a", "b", "c"] { slots.take(name, at: start) }
        #expect(slots.admission(at: start + .seconds(60)) == .afterAnEnd)
        slots.release("b")
        #expect(slots.admission(at: start + .seconds(60)) == .now)
    }

    @Test("a place handed on is held by the step that took it, from when it took it")
    func handedOn() {
        var slots = StepSlots(limit: 8, eager: 1)
        slots.take("parent", at: start)
        slots.pass(from: "parent", to: "child", at: start + .seconds(1))
        #expect(slots.count == 1)
        #expect(slots.admission(at: start + .seconds(1)) == .at(start + .seconds(1) + StepSlots.patience))
        slots.release("parent")
        #expect(slots.count == 1)
        slots.release("child")
        #expect(slots.count == 0)
    }

    @Test("a limit below the core count is the limit")
    func smallLimit() {
        var slots = StepSlots(limit: 1, eager: 4)
        slots.take("a", at: start)
        #expect(slots.admission(at: start + .seconds(1)) == .afterAnEnd)
    }
}
