@testable import CairnRuntime
import Testing

@Suite("Places of running steps")
struct StepSlotsTests {
    let start = ContinuousClock.now

    @Test("as many steps as cores start at once; while they hold every place and none ends, the allowance doubles")
    func allowanceGrowsWhenStepsWait() {
        var slots = StepSlots(limit: 32, eager: 2)
        #expect(slots.admission(at: start) == .now)
        slots.take("a", at: start)
        slots.take("b", at: start + .microseconds(100))
        #expect(slots.admission(at: start + .microseconds(200)) == .at(start + StepSlots.patience))
        #expect(slots.admission(at: start + StepSlots.patience) == .now)
        slots.take("c", at: start + StepSlots.patience)
        #expect(slots.allowance == 4)
        #expect(slots.admission(at: start + StepSlots.patience) == .now, "the doubled allowance has room at once")
        slots.take("d", at: start + StepSlots.patience)
        #expect(slots.admission(at: start + StepSlots.patience) == .at(start + StepSlots.patience * 2))
    }

    @Test("steps that keep ending keep the run to its allowance")
    func quickStepsKeepToTheCores() {
        var slots = StepSlots(limit: 32, eager: 2)
        var now = start
        for index in 0..<100 {
            while slots.admission(at: now) == .now { slots.take("\(index)-\(slots.count)", at: now) }
            #expect(slots.count == 2)
            now += .milliseconds(1)
            let ending = slots.count
            slots.release("\(index)-\(ending - 1)", at: now)
            slots.release("\(index)-\(ending - 2)", at: now)
        }
        #expect(slots.allowance == 2)
    }

    @Test("no more steps than the limit run, however long they wait")
    func theLimitHolds() {
        var slots = StepSlots(limit: 3, eager: 2)
        for name in ["a", "b"] { slots.take(name, at: start) }
        #expect(slots.admission(at: start + .seconds(60)) == .now)
        slots.take("c", at: start + .seconds(60))
        #expect(slots.allowance == 3)
        #expect(slots.admission(at: start + .seconds(120)) == .afterAnEnd)
        slots.release("b", at: start + .seconds(120))
        #expect(slots.admission(at: start + .seconds(120)) == .now)
    }

    @Test("a place handed on is held by the step that took it, and the hand-off counts as an end")
    func handedOn() {
        var slots = StepSlots(limit: 8, eager: 1)
        slots.take("parent", at: start)
        slots.pass(from: "parent", to: "child", at: start + .seconds(1))
        #expect(slots.count == 1)
        #expect(slots.admission(at: start + .seconds(1)) == .at(start + .seconds(1) + StepSlots.patience))
        slots.release("parent", at: start + .seconds(2))
        #expect(slots.count == 1)
        slots.release("child", at: start + .seconds(2))
        #expect(slots.count == 0)
    }

    @Test("a limit below the core count is the limit")
    func smallLimit() {
        var slots = StepSlots(limit: 1, eager: 4)
        slots.take("a", at: start)
        #expect(slots.admission(at: start + .seconds(1)) == .afterAnEnd)
    }
}
