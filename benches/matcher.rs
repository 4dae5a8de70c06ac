//! Matcher benchmarks: ranking one request among 10k, 100k and 1M helpers spread over a city the
//! size of Greater London, and batch runs of 1k × 10k and 10k × 100k.
//!
//!     cargo bench --bench matcher
//!
//! Figures and the machine they came from are in docs/benchmarks.md.

use std::hint::black_box;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use neighbourly::domain::availability::{Availability, WeeklySlot};
use neighbourly::domain::{Category, Location};
use neighbourly::matching::batch::{plan, Instance, InstanceHelper, InstanceRequest};
use neighbourly::matching::eligibility::Limits;
use neighbourly::matching::index::HelperIndex;
use neighbourly::matching::{HelperFacts, JobFacts, MemberContext, SkillSet, Weights};

/// Greater London's extent, roughly 47 km by 58 km.
const LAT: (f64, f64) = (51.28, 51.70);
const LON: (f64, f64) = (-0.51, 0.33);

struct Rng(u64);
impl Rng {
    fn unit(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize % n
    }
    fn place(&mut self) -> (f64, f64) {
        (
            LAT.0 + self.unit() * (LAT.1 - LAT.0),
            LON.0 + self.unit() * (LON.1 - LON.0),
        )
    }
    fn skills(&mut self) -> Vec<Category> {
        (0..1 + self.below(3))
            .map(|_| Category::ALL[self.below(9)])
            .collect()
    }
}

fn helpers(n: usize, seed: u64) -> Vec<HelperFacts> {
    let mut rng = Rng(seed);
    let weekdays: Vec<WeeklySlot> = ["mon", "tue", "wed", "thu", "fri"]
        .iter()
        .map(|d| WeeklySlot {
            day: d.to_string(),
            start: "09:00".into(),
            end: "17:00".into(),
        })
        .collect();
    let schedule = Availability::parse("Europe/London", &weekdays, &[])
        .unwrap()
        .schedule();
    (0..n)
        .map(|i| {
            let (lat, lon) = rng.place();
            HelperFacts {
                id: format!("h{i}"),
                name: format!("Helper {i}"),
                home: Location { lat, lon },
                max_distance_km: 1.0 + rng.unit() * 4.0,
                skills: SkillSet::of(&rng.skills()),
                approved: rng.below(10) > 0,
                vetting_expires_on: NaiveDate::from_ymd_opt(2030, 1, 1),
                schedule: schedule.clone(),
                busy: Vec::new(),
                recent_hours: rng.unit() * 30.0,
                rating: Some(2.0 + rng.unit() * 3.0),
            }
        })
        .collect()
}

fn jobs(n: usize, seed: u64) -> Vec<JobFacts> {
    let mut rng = Rng(seed);
    let start: DateTime<Utc> = "2027-03-03T10:00:00Z".parse().unwrap();
    (0..n)
        .map(|i| {
            let (lat, lon) = rng.place();
            JobFacts {
                id: format!("r{i}"),
                member_id: format!("m{i}"),
                category: Category::ALL[rng.below(9)],
                location: Location { lat, lon },
                window_start: start,
                window_end: start + Duration::hours(4),
                duration_minutes: 60,
            }
        })
        .collect()
}

fn rank_one_request(c: &mut Criterion) {
    let limits = Limits {
        travel_buffer_minutes: 30,
        weekly_cap_jobs: 5,
    };
    let weights = Weights::default();
    let ctx = MemberContext::default();
    let mut group = c.benchmark_group("rank_one_request");
    for n in [10_000, 100_000, 1_000_000] {
        let index = HelperIndex::new(helpers(n, 1));
        let js = jobs(256, 2);
        for limit in [3, 20] {
            let mut i = 0;
            group.bench_with_input(BenchmarkId::new(format!("top{limit}"), n), &n, |b, _| {
                b.iter(|| {
                    i = (i + 1) % js.len();
                    black_box(index.rank(&js[i], &ctx, &limits, &weights, limit))
                })
            });
        }
    }
    group.finish();
}

fn instance(requests: usize, helpers: usize, seed: u64) -> Instance {
    let mut rng = Rng(seed);
    Instance {
        helpers: (0..helpers)
            .map(|i| {
                let (lat, lon) = rng.place();
                InstanceHelper {
                    id: format!("h{i}"),
                    lat,
                    lon,
                    max_distance_km: 1.0 + rng.unit() * 4.0,
                    skills: rng.skills(),
                    capacity: 1 + rng.below(3) as u32,
                }
            })
            .collect(),
        requests: (0..requests)
            .map(|i| {
                let (lat, lon) = rng.place();
                InstanceRequest {
                    id: format!("r{i}"),
                    lat,
                    lon,
                    category: Category::ALL[rng.below(9)],
                }
            })
            .collect(),
    }
}

fn batch(c: &mut Criterion) {
    let mut group = c.benchmark_group("batch");
    group.sample_size(10);
    for (r, h) in [(1_000, 10_000), (10_000, 100_000)] {
        let inst = instance(r, h, 3);
        group.bench_function(BenchmarkId::new("plan", format!("{r}x{h}")), |b| {
            b.iter(|| black_box(plan(&inst)))
        });
    }
    group.finish();
}

criterion_group!(benches, rank_one_request, batch);
criterion_main!(benches);
