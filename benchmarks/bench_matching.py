"""Benchmark of the matching engine on realistic synthetic Yogyakarta data (not a test).

    .venv/bin/python benchmarks/bench_matching.py --sizes 2000x1000,20000x10000,100000x50000

Prints, per size, seconds and peak MB per stage (prepare, candidates, scores, allocation,
explain) and the objective (sum of score x Rp) compared with an exact solve over all allowed
pairs. See benchmarks/README-matching.md for how to read it.
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import resource
import sys
import threading
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gandeng.matching import (MatchContext, Need, Offer, Settings, build_offer_index,  # noqa: E402
                              load_geography, rank_offers_for_need, run_matching)
from gandeng.matching.candidates import scored_blocks  # noqa: E402
from gandeng.matching.engine import (build_alternatives, build_proposals, freeze_objects,  # noqa: E402
                                     objective, run_explainer, solve, unmatched_offers)
from gandeng.matching.fairness import run_figures  # noqa: E402
from gandeng.matching.flow import solve_flow  # noqa: E402
from gandeng.matching.memory import give_back  # noqa: E402
from gandeng.matching.problem import build_problem  # noqa: E402
from gandeng.matching.scoring import SCORE_RESOLUTION, TIE_LEVELS  # noqa: E402

TODAY = date(2026, 7, 1)
# category -> topics; a topic = (words kampung use in needs, words partners use in offers)
TOPICS = {
    "sanitation": [
        (["kakus rusak", "belum punya WC", "buang air ke sungai", "jamban darurat"],
         ["jamban sehat", "pembangunan MCK", "kloset dan bilik jamban"]),
        (["septictank penuh", "septitank bocor merembes ke sumur", "spiteng meluap"],
         ["tangki septik komunal", "penyedotan dan pembuatan septic tank", "tangki septik individual"]),
        (["sumur kering saat kemarau", "air sumur keruh dan berbau", "sumur tercemar"],
         ["sumur bor", "pengeboran sumur dalam dan pompa", "tandon air dan filter"]),
        (["belum tersambung PDAM", "air ledeng sering mati", "pipa air bocor"],
         ["sambungan air bersih", "pemasangan pipa PDAM gratis", "instalasi air minum"]),
    ],
    "housing": [
        (["rumah tidak layak huni", "dinding gedhek lapuk", "rumah hampir roboh"],
         ["bedah rumah", "rehab rumah RTLH", "renovasi rumah keluarga miskin"]),
        (["atap bocor", "genteng pecah", "usuk dan reng lapuk"],
         ["perbaikan atap", "penggantian genteng dan rangka baja ringan", "bahan bangunan atap"]),
        (["lantai tanah", "lantai rumah lembab", "lantai retak"],
         ["keramik lantai", "plester dan pengerasan lantai", "bahan bangunan lantai"]),
    ],
    "health": [
        (["lansia sulit berjalan", "simbah butuh kursi roda", "warga disabilitas tanpa alat bantu"],
         ["kursi roda dan alat bantu jalan", "alat bantu disabilitas", "kruk dan walker"]),
        (["posyandu lansia kekurangan alat", "tensimeter rusak", "cek gula darah mahal"],
         ["cek kesehatan gratis", "alat kesehatan posyandu", "pemeriksaan tensi dan gula darah"]),
        (["warga sakit sulit ke rumah sakit", "tidak ada kendaraan darurat"],
         ["ambulans kampung", "mobil siaga kesehatan", "layanan antar jemput pasien"]),
    ],
    "nutrition": [
        (["balita gizi kurang", "anak stunting", "berat badan balita di bawah garis merah"],
         ["makanan tambahan balita", "PMT dan susu", "telur dan susu untuk anak"]),
        (["ibu hamil kurang gizi", "ibu hamil anemia", "ibu menyusui kekurangan gizi"],
         ["pendampingan ibu hamil", "tablet tambah darah dan paket gizi", "kelas gizi ibu hamil"]),
        (["kader posyandu butuh pelatihan gizi", "menu sehat balita"],
         ["kelas gizi", "pelatihan kader posyandu", "edukasi menu bergizi"]),
    ],
    "education": [
        (["anak putus sekolah karena biaya", "biaya SPP menunggak", "anak yatim sekolah"],
         ["beasiswa", "bantuan biaya pendidikan", "beasiswa anak berprestasi"]),
        (["anak kesulitan belajar matematika", "nilai rapor turun", "butuh les sore"],
         ["bimbingan belajar gratis", "bimbel oleh mahasiswa KKN", "pendampingan belajar"]),
        (["tidak punya seragam dan sepatu", "tas sekolah rusak", "buku tulis kurang"],
         ["perlengkapan sekolah", "seragam dan sepatu sekolah", "paket alat tulis"]),
        (["taman baca sepi buku", "anak kampung jarang membaca"],
         ["donasi buku bacaan", "pojok baca", "rak dan buku cerita anak"]),
    ],
    "livelihood": [
        (["pedagang angkringan butuh modal", "usaha warung kehabisan modal", "modal dagang"],
         ["modal usaha bergulir", "pinjaman lunak UMKM", "hibah modal usaha mikro"]),
        (["gerobak rusak", "etalase usaha", "kompor dan peralatan dagang"],
         ["peralatan usaha", "gerobak dan etalase", "alat produksi kelompok"]),
        (["produk batik kelompok sulit dijual", "kerajinan belum laku", "bakpia kampung sepi pembeli"],
         ["pembelian produk kelompok", "pemasaran produk UMKM", "pesanan suvenir perusahaan"]),
    ],
    "training": [
        (["ibu-ibu ingin bisa menjahit", "pemuda menganggur ingin kerja", "keterampilan menjahit"],
         ["pelatihan menjahit", "kursus konveksi dan mesin jahit", "pelatihan kerja"]),
        (["pemuda ingin jadi barista", "kelompok ingin usaha kopi"],
         ["pelatihan barista", "kelas kopi dan wirausaha kafe"]),
        (["pelaku usaha belum bisa jualan online", "gaptek media sosial"],
         ["pemasaran digital", "literasi digital dan jualan online", "pelatihan foto produk"]),
        (["bengkel motor kampung", "pemuda ingin bisa servis motor"],
         ["pelatihan bengkel", "kursus servis sepeda motor"]),
    ],
    "environment": [
        (["sampah menumpuk di gang", "sampah dibuang ke kali", "belum ada pengelolaan sampah"],
         ["bank sampah", "pendampingan pengelolaan sampah", "komposter dan tong pilah"]),
        (["genangan saat hujan", "tanah tidak menyerap air"],
         ["lubang biopori", "sumur resapan", "biopori dan penghijauan"]),
        (["lahan sempit ingin menanam", "ibu-ibu ingin kebun sayur"],
         ["urban farming", "kampung sayur hidroponik", "bibit dan polybag"]),
    ],
    "infrastructure": [
        (["jalan gang rusak berlubang", "jalan kampung becek", "gang licin saat hujan"],
         ["paving block", "pengerasan jalan kampung", "konblok dan semen"]),
        (["selokan mampet", "got meluap saat hujan", "saluran air rusak"],
         ["drainase", "normalisasi saluran", "perbaikan talud dan drainase"]),
        (["gang gelap rawan kejahatan", "lampu jalan mati", "tidak ada penerangan di gang"],
         ["lampu PJU tenaga surya", "penerangan jalan umum", "lampu jalan LED"]),
        (["balai RW rusak", "tempat pertemuan warga bocor"],
         ["renovasi balai RW", "perbaikan gedung pertemuan"]),
    ],
    "social": [
        (["lansia hidup sendiri", "simbah sebatang kara", "lansia terlantar"],
         ["pendampingan lansia", "paket sembako lansia", "relawan kunjungan lansia"]),
        (["korban kebakaran", "rumah terdampak banjir", "pengungsi bencana"],
         ["tanggap bencana", "dapur umum dan logistik", "bantuan darurat bencana"]),
        (["anak jalanan", "anak rawan putus sekolah dan terlantar"],
         ["rumah singgah anak", "pendampingan anak", "kegiatan anak kampung"]),
    ],
}
FILLER_NEED = ["di RT {rt} RW {rw}", "sejak tahun lalu", "sudah diusulkan di musrenbang", "warga swadaya tidak cukup",
               "mohon segera dibantu", "terutama keluarga pemegang KMS", "kondisi makin parah saat musim hujan"]
FILLER_OFFER = ["program CSR {org}", "melalui tim relawan", "bekerja sama dengan kampus", "untuk keluarga prasejahtera",
                "dengan laporan pertanggungjawaban", "prioritas kampung padat", "periode tahun ini"]
ORGS = ["Bank Jogja", "PT Sari Husada", "UGM", "UNY", "UII", "Komunitas Jogja Peduli", "Hotel Tentrem",
        "PT Tirta Investama", "Telkom Witel Yogyakarta", "Rumah Zakat", "Universitas Sanata Dharma", "BPD DIY"]


def make_data(n_needs: int, n_offers: int, seed: int = 7):
    """Synthetic needs and offers with realistic texts, areas and Rupiah amounts."""
    rng = np.random.default_rng(seed)
    with open(ROOT / "tests/data/matching/wilayah.csv", encoding="utf-8") as f:
        geo = load_geography(csv.DictReader(f))
    cats = list(TOPICS)
    kels = geo.kelurahan
    needs = []
    for i in range(n_needs):
        c = cats[rng.integers(len(cats))]
        t = rng.integers(len(TOPICS[c]))
        kel = kels[rng.integers(len(kels))]
        words = rng.choice(TOPICS[c][t][0], size=min(2, len(TOPICS[c][t][0])), replace=False)
        fill = rng.choice(FILLER_NEED, size=2, replace=False)
        hh = int(rng.integers(3, 80))
        needs.append(Need(
            id=i + 1, kelurahan_code=kel.code, kemantren_code=kel.kemantren_code, category=c,
            title=f"{words[0].capitalize()} di {kel.name}",
            description=(f"{words[0]}, {words[-1]} " + " ".join(fill)).format(
                rt=rng.integers(1, 20), rw=rng.integers(1, 15)),
            households=hh, kms_households=int(rng.integers(0, hh + 1)),
            remaining_rp=int(np.clip(rng.lognormal(16.0, 0.8), 5e5, 2e8)) // 1000 * 1000,
            deadline=TODAY + timedelta(days=int(rng.integers(-10, 365))) if rng.random() < 0.6 else None,
            urgency=str(rng.choice(["rendah", "sedang", "tinggi", "darurat"], p=[.2, .45, .28, .07])),
            partial_ok=bool(rng.random() < 0.3)))
    offers = []
    for j in range(n_offers):
        c = cats[rng.integers(len(cats))]
        t = rng.integers(len(TOPICS[c]))
        org = ORGS[rng.integers(len(ORGS))]
        words = rng.choice(TOPICS[c][t][1], size=min(2, len(TOPICS[c][t][1])), replace=False)
        r = rng.random()
        categories = () if r < 0.1 else (c,) if r < 0.8 else (c, cats[rng.integers(len(cats))])
        r = rng.random()
        if r < 0.45:
            areas: tuple[str, ...] = ()
        elif r < 0.8:
            areas = (geo.kemantren_codes[rng.integers(14)],)
        elif r < 0.9:
            areas = tuple(sorted({geo.kemantren_codes[rng.integers(14)] for _ in range(2)}))
        else:
            areas = tuple(sorted({kels[rng.integers(len(kels))].code for _ in range(3)}))
        offers.append(Offer(
            id=j + 1, organisation_id=ORGS.index(org) + 1,
            kind=str(rng.choice(["dana", "barang", "jasa", "pelatihan", "pembelian"], p=[.5, .25, .1, .1, .05])),
            categories=tuple(dict.fromkeys(categories)),
            title=f"{words[0].capitalize()} dari {org}",
            description=(f"{words[0]} dan {words[-1]} " + " ".join(rng.choice(FILLER_OFFER, 2, replace=False))
                         ).format(org=org),
            remaining_rp=int(np.clip(rng.lognormal(16.3, 0.9), 2e6, 2e9)) // 1000 * 1000,
            areas=areas,
            valid_until=TODAY + timedelta(days=int(rng.integers(-30, 400)))))
    return needs, offers, geo


class PeakRss:
    """Samples the process RSS every 5 ms; `peak_mb()` since the last `reset()`."""

    def __init__(self) -> None:
        self._peak = self._base = self.rss_mb()
        self._stop = False
        threading.Thread(target=self._run, daemon=True).start()

    @staticmethod
    def rss_mb() -> float:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def _run(self) -> None:
        while not self._stop:
            self._peak = max(self._peak, self.rss_mb())
            time.sleep(0.005)

    def reset(self) -> None:
        self._peak = self.rss_mb()

    def peak_mb(self) -> float:
        return max(self._peak, self.rss_mb())


class StageClock:
    """Duck-types the engine's clock: seconds and peak MB (RSS above the start) per stage."""

    def __init__(self, rss: PeakRss) -> None:
        self.rss, self.base = rss, rss.rss_mb()
        self.seconds: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.mb: dict[str, float] = {}
        self._last = time.perf_counter()
        self._last_cpu = time.process_time()
        rss.reset()

    def lap(self, name: str) -> None:
        now, cpu = time.perf_counter(), time.process_time()
        self.seconds[name] = self.seconds.get(name, 0.0) + now - self._last
        self.cpu[name] = self.cpu.get(name, 0.0) + cpu - self._last_cpu
        self.mb[name] = max(self.mb.get(name, 0.0), self.rss.peak_mb() - self.base)
        self.rss.reset()
        self._last = time.perf_counter()
        self._last_cpu = time.process_time()


def run_engine(needs, offers, geo, ctx, rss: PeakRss):
    """The engine as run_matching runs it (garbage collector paused outside the allocation,
    alternatives and fairness figures included), stage by stage, timed and memory-sampled."""
    clock = StageClock(rss)
    gc.disable()
    try:
        p = build_problem(needs, offers, geo, ctx)
        clock.lap("prepare")
        freeze_objects()
        give_back()
        pairs, flow, n_cand = solve(p, clock)
        gc.disable()
        give_back()
        explainer = run_explainer(p)
        proposals = build_proposals(p, pairs, flow, explainer)
        unmatched_offers(p, pairs, flow)
        build_alternatives(p, pairs, flow, explainer)
        run_figures(p, pairs.need, flow)
        clock.lap("explain")
    finally:
        gc.unfreeze()
        gc.enable()
    rows = [(name, clock.seconds[name], clock.cpu[name], clock.mb[name]) for name in clock.seconds]
    return p, pairs, flow, len(proposals), rows


def lp_on(p, need, offer, score):
    """Flow optimum (full-funding relaxed) over the given pairs; returns (objective, flow)."""
    weight = np.rint(score * SCORE_RESOLUTION).astype(np.int64) * TIE_LEVELS
    flow = solve_flow(p.capacity, p.demand, offer, need, weight, "ortools")
    return objective(score, flow), flow


def all_allowed_pairs(p, max_pairs: int):
    """Every pair passing the hard rules and min_score, or None when more than max_pairs."""
    need, offer, score, total = [], [], [], 0
    for e in scored_blocks(p):
        total += int(e.ok.sum())
        if total > max_pairs:
            return None
        need.append(e.need[e.ok]); offer.append(e.offer[e.ok]); score.append(e.score[e.ok])
    return np.concatenate(need), np.concatenate(offer), np.concatenate(score)


def bench(n_needs: int, n_offers: int, rss: PeakRss, exact_max_pairs: int, mip_max_pairs: int) -> None:
    t = time.perf_counter()
    needs, offers, geo = make_data(n_needs, n_offers)
    ctx = MatchContext(today=TODAY)
    gc.collect()
    print(f"\n== {n_needs} needs x {n_offers} offers (data generated in {time.perf_counter() - t:.1f} s)")
    load_before = os.getloadavg()
    rss.base_mb = rss.rss_mb()
    p, pairs, flow, n_proposals, rows = run_engine(needs, offers, geo, ctx, rss)
    print(f"{'stage':<12}{'wall s':>10}{'CPU s':>10}{'peak MB':>10}")
    for name, sec, cpu, mb in rows:
        print(f"{name:<12}{sec:>10.2f}{cpu:>10.2f}{mb:>10.0f}")
    engine_s = sum(sec for _, sec, _, _ in rows)
    engine_cpu = sum(cpu for _, _, cpu, _ in rows)
    print(f"{'total':<12}{engine_s:>10.2f}{engine_cpu:>10.2f}{max(mb for _, _, _, mb in rows):>10.0f}   "
          f"({n_proposals} proposals with reasons; MB = peak RSS above the input data)")
    print(f"process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB "
          f"(input data {rss.base_mb:.0f} MB); load average before/after "
          f"{load_before[0]:.2f}/{os.getloadavg()[0]:.2f} (1 min), {os.getloadavg()[1]:.2f} (5 min)")
    ours = objective(pairs.score, flow)
    cand_lp, _ = lp_on(p, pairs.need, pairs.offer, pairs.score)
    print(f"pairs: {pairs.need.size} candidates; proposed Rp {flow.sum():,} of offers {p.capacity.sum():,}")
    if n_needs <= 20_000:
        bench_incremental(offers, needs, geo)
    if n_needs <= 2_000:
        bench_churn(needs, offers, geo)
    print(f"objective engine {ours:.6g}; flow optimum over candidates {cand_lp:.6g} "
          f"(gap {100 * (1 - ours / cand_lp):.2f}%)")
    if exact_max_pairs <= 0:
        return
    t = time.perf_counter()
    allowed = all_allowed_pairs(p, exact_max_pairs)
    if allowed is not None:
        exact, _ = lp_on(p, *allowed)
        print(f"exact flow optimum over all {allowed[0].size} allowed pairs {exact:.6g} "
              f"({time.perf_counter() - t:.1f} s): gap {100 * (1 - ours / exact):.2f}%")
        if allowed[0].size <= mip_max_pairs:
            t = time.perf_counter()
            best, bound = mip_optimum(p, *allowed)
            print(f"true optimum with full funding (HiGHS MILP, {time.perf_counter() - t:.0f} s): "
                  f"best {best:.6g}, bound {bound:.6g}: gap {100 * (1 - ours / bound):.2f}%")
    else:
        print(f"more than {exact_max_pairs} allowed pairs: exact solve skipped "
              f"(raise --exact-max-pairs; 100k x 50k has ~58 million, ~5 min and 10 GB)")


def bench_incremental(offers, needs, geo, n_queries: int = 200) -> None:
    """The single-need path: index build once, then ranked offers per need."""
    ctx = MatchContext(today=TODAY)
    t = time.perf_counter()
    index = build_offer_index(offers, geo, ctx, needs=needs)
    built = time.perf_counter() - t
    times = []
    for need in needs[:n_queries]:
        t = time.perf_counter()
        rank_offers_for_need(need, index=index)
        times.append(time.perf_counter() - t)
    print(f"incremental: index of {len(offers)} offers built in {built:.2f} s; rank_offers_for_need "
          f"mean {1000 * np.mean(times):.1f} ms, max {1000 * np.max(times):.1f} ms over {len(times)} needs")


def bench_churn(needs, offers, geo) -> None:
    """Re-run on slightly changed data (1% of needs new, 1% changed amount): how many of the
    earlier proposals that could still stand disappear, with and without the stability bonus."""
    rng = np.random.default_rng(11)
    first = run_matching(needs, offers, geo, MatchContext(today=TODAY))
    previous = frozenset((p.need_id, p.offer_id) for p in first.proposals)
    changed = list(needs)
    for k in rng.choice(len(changed), size=max(1, len(changed) // 100), replace=False):
        changed[k] = replace(changed[k], remaining_rp=changed[k].remaining_rp + 1_000_000)
    fresh, _, _ = make_data(max(1, len(needs) // 100), 1, seed=99)
    changed += [replace(n, id=n.id + 10**7) for n in fresh]
    for label, ctx in [("with bonus", MatchContext(today=TODAY, previous_pairs=previous)),
                       ("no bonus", MatchContext(today=TODAY, settings=Settings(stability_bonus=0.0)))]:
        again = run_matching(changed, offers, geo, ctx)
        lost = len(previous - {(p.need_id, p.offer_id) for p in again.proposals})
        print(f"churn {label}: {lost} of {len(previous)} earlier proposals dropped "
              f"({100 * lost / max(1, len(previous)):.1f}%)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000x1000,20000x10000")
    parser.add_argument("--exact-max-pairs", type=int, default=100_000_000,
                        help="solve exactly over all allowed pairs up to this many (0: skip)")
    parser.add_argument("--mip-max-pairs", type=int, default=100_000,
                        help="also solve the true optimum with full funding (HiGHS MILP) up to this many")
    args = parser.parse_args()
    rss = PeakRss()
    for size in args.sizes.split(","):
        n, m = (int(x) for x in size.lower().split("x"))
        bench(n, m, rss, args.exact_max_pairs, args.mip_max_pairs)
        gc.collect()



def mip_optimum(p, need, offer, score, time_limit: float = 120.0):
    """Exact optimum WITH full funding (strict needs all or nothing) by HiGHS MILP.

    Returns (best objective found, proven upper bound); amounts in millions of Rp for numerics.
    """
    import scipy.sparse as sp
    from scipy.optimize import Bounds, LinearConstraint, milp

    k, n_need, n_off = need.size, len(p.needs), len(p.offers)
    strict_rows = np.flatnonzero(~p.partial_ok)
    y_of = np.full(n_need, -1)
    y_of[strict_rows] = np.arange(strict_rows.size)
    dem, cap = p.demand / 1e6, p.capacity / 1e6
    c = np.concatenate([-score.astype(float), np.zeros(strict_rows.size)])
    a_need = sp.csr_matrix((np.ones(k), (need, np.arange(k))), shape=(n_need, k + strict_rows.size)).tolil()
    for i in strict_rows:
        a_need[i, k + y_of[i]] = -dem[i]
    a_off = sp.csr_matrix((np.ones(k), (offer, np.arange(k))), shape=(n_off, k + strict_rows.size))
    lo_need = np.where(p.partial_ok, -np.inf, 0.0)
    hi_need = np.where(p.partial_ok, dem, 0.0)
    cons = [LinearConstraint(a_need.tocsr(), lo_need, hi_need), LinearConstraint(a_off, -np.inf, cap)]
    integrality = np.concatenate([np.zeros(k), np.ones(strict_rows.size)])
    ub = np.concatenate([np.minimum(dem[need], cap[offer]), np.ones(strict_rows.size)])
    res = milp(c, constraints=cons, integrality=integrality, bounds=Bounds(0, ub),
               options={"time_limit": time_limit, "mip_rel_gap": 1e-4})
    best = -res.fun * 1e6 if res.x is not None else float("nan")
    bound = -getattr(res, "mip_dual_bound", res.fun) * 1e6
    return best, bound


if __name__ == "__main__":
    main()
