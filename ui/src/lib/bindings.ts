// Generated from the Rust types by `cargo test` (ts-rs). Do not edit by hand.
export type ApiError = { code: ErrorCode, message: string, };
export type ErrorCode = "bad_input" | "not_found" | "conflict" | "forbidden" | "unauthenticated" | "no_event" | "internal";
export type Role = "admin" | "desk" | "gate";
export type StationConfig = { role: Role | null, zone: ZoneCode | null, };
export type ZoneCode = string;
export type CategoryCode = string;
export type Color = string;
export type Antipassback = "off" | "warn" | "deny";
export type EventInfo = { code: string, name: string, venue: string, city: string, 
/**
 * ISO 3166-1 alpha-2.
 */
country: string, 
/**
 * IANA time zone the days are counted in.
 */
time_zone: string, 
/**
 * Badge numbers are this prefix, a dash and six digits (`BMX-000001`).
 */
serial_prefix: string, days: Array<EventDay>, zones: Array<Zone>, categories: Array<Category>, };
export type EventDay = { date: string, 
/**
 * A demo day opens the secured demo zone.
 */
demo: boolean, };
export type Zone = { code: ZoneCode, name_fr: string, name_en: string, capacity: number | null, antipassback: Antipassback, 
/**
 * The days the zone is open at all, whatever a badge says.
 */
open_days: Array<string>, };
export type Category = { code: CategoryCode, name_fr: string, name_en: string, color: Color, 
/**
 * The zones and days this category opens by default (the access matrix).
 */
zones: Array<ZoneCode>, days: Array<string>, };
export type DemoSummary = { event: string, first_day: string, last_day: string, zones: number, categories: number, staff: Array<DemoAccount>, };
export type DemoAccount = { name: string, role: Role, pin: string, };
export type AuditCheck = { entries: number, 
/**
 * The sequence number of the first entry that does not verify.
 */
first_bad: number | null, };
