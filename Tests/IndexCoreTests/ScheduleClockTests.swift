import IndexCore
import Testing

// Unix times of the moments used below (checked with python3's datetime, UTC).
private let jan1_2025: Int64 = 1_735_689_600  // Wednesday 2025-01-01T00:00Z (Saturday is the 4th)
private let jan5_2025: Int64 = 1_736_035_200  // Sunday
private let jan6_2025: Int64 = 1_736_121_600  // Monday
private let jan6_0800: Int64 = 1_736_150_400
private let jan6_0900: Int64 = 1_736_154_000
private let jan11_2025: Int64 = 1_736_553_600  // Saturday
private let jan12_2025: Int64 = 1_736_640_000  // Sunday
private let jan13_0900: Int64 = 1_736_758_800
private let jan15_2025: Int64 = 1_736_899_200
private let feb1_2025: Int64 = 1_738_368_000
private let feb1_0500: Int64 = 1_738_386_000
private let feb1_0600: Int64 = 1_738_389_600
private let mar1_2025: Int64 = 1_740_787_200
private let mar10_1000: Int64 = 1_741_600_800
private let mar10_1200: Int64 = 1_741_608_000
private let mar11_0600: Int64 = 1_741_672_800
private let apr1_2025: Int64 = 1_743_465_600
private let may10_2025: Int64 = 1_746_835_200
private let jul1_2025: Int64 = 1_751_328_000
private let nov30_2025: Int64 = 1_764_460_800
private let dec31_2300: Int64 = 1_767_222_000
private let jan1_2026: Int64 = 1_767_225_600

@Suite struct ScheduleClockTests {
    @Test func weeklyOnTheWeekday() {
        #expect(ScheduleClock.next(after: jan1_2025, schedule: .weekly, weekday: 1) == jan6_2025)
        #expect(ScheduleClock.next(after: jan1_2025, schedule: .weekly, weekday: 7) == jan5_2025)
        #expect(ScheduleClock.next(after: jan1_2025, schedule: .weekly, weekday: 6) == jan1_2025 + 3 * 86_400)
        #expect(ScheduleClock.next(after: jan6_2025, schedule: .weekly, weekday: 6) == jan11_2025)
        // Strictly after: on the moment itself, the next one is a week later.
        #expect(ScheduleClock.next(after: jan5_2025, schedule: .weekly, weekday: 7) == jan12_2025)
        // Wednesday 00:00 itself is excluded, so the next Wednesday is a week later.
        #expect(ScheduleClock.next(after: jan1_2025, schedule: .weekly, weekday: 3) == jan1_2025 + 7 * 86_400)
    }

    @Test func weeklyAtAnHour() {
        #expect(ScheduleClock.next(after: jan6_0800, schedule: .weekly, weekday: 1, hourUTC: 9) == jan6_0900)
        #expect(ScheduleClock.next(after: jan6_0900, schedule: .weekly, weekday: 1, hourUTC: 9) == jan13_0900)
    }

    @Test func monthlyOnTheFirst() {
        #expect(ScheduleClock.next(after: jan15_2025, schedule: .monthly) == feb1_2025)
        #expect(ScheduleClock.next(after: feb1_2025, schedule: .monthly) == mar1_2025)
        #expect(ScheduleClock.next(after: feb1_0500, schedule: .monthly, hourUTC: 6) == feb1_0600)
        #expect(ScheduleClock.next(after: dec31_2300, schedule: .monthly) == jan1_2026)
    }

    @Test func quarterlyOnTheFirstOfJanuaryAprilJulyOctober() {
        #expect(ScheduleClock.next(after: jan1_2025, schedule: .quarterly) == apr1_2025)
        #expect(ScheduleClock.next(after: jan15_2025, schedule: .quarterly) == apr1_2025)
        #expect(ScheduleClock.next(after: may10_2025, schedule: .quarterly) == jul1_2025)
        #expect(ScheduleClock.next(after: nov30_2025, schedule: .quarterly) == jan1_2026)
        #expect(ScheduleClock.next(after: jan1_2025 - 1, schedule: .quarterly) == jan1_2025)
    }

    @Test func dailyAtAnHour() {
        #expect(ScheduleClock.next(after: mar10_1000, schedule: .daily, hourUTC: 6) == mar11_0600)
        #expect(ScheduleClock.next(after: mar10_1000, schedule: .daily, hourUTC: 12) == mar10_1200)
        #expect(ScheduleClock.next(after: mar10_1200, schedule: .daily, hourUTC: 12) == mar10_1200 + 86_400)
    }

    @Test func noneNeverComes() {
        #expect(ScheduleClock.next(after: jan1_2025, schedule: .none) == nil)
        #expect(!ScheduleClock.isDue(last: jan1_2025, now: jan1_2026, schedule: .none))
    }

    @Test func dueAtTheFirstMomentAtOrAfterTheScheduledOne() {
        // Last rebalance on Wednesday 1 Jan; the next Monday is 6 Jan 00:00.
        #expect(!ScheduleClock.isDue(last: jan1_2025, now: jan6_2025 - 1, schedule: .weekly, weekday: 1))
        #expect(ScheduleClock.isDue(last: jan1_2025, now: jan6_2025, schedule: .weekly, weekday: 1))
        #expect(ScheduleClock.isDue(last: jan1_2025, now: jan6_0900, schedule: .weekly, weekday: 1))
        #expect(!ScheduleClock.isDue(last: jan6_2025, now: jan6_0900, schedule: .weekly, weekday: 1))
        #expect(ScheduleClock.isDue(last: jan15_2025, now: feb1_2025, schedule: .monthly))
        #expect(!ScheduleClock.isDue(last: feb1_2025, now: feb1_2025 + 86_400 * 20, schedule: .monthly))
    }
}
