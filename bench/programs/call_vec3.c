// Ray casting against spheres with a small vector library whose operations stay calls
// (noinline): call overhead, f64 arguments and 3-double results. bench/run also builds it as
// call_vec3_mv, with clang's multi-value ABI, where a vector argument is three wasm params and
// a vector result three wasm results instead of memory through pointers (bench/README.md,
// "Call group").
#include "bench.h"

typedef struct {
  double x, y, z;
} vec3;

#define NOINLINE __attribute__((noinline))

NOINLINE vec3 v_make(double x, double y, double z) {
  return (vec3){x, y, z};
}
NOINLINE vec3 v_add(vec3 a, vec3 b) {
  return v_make(a.x + b.x, a.y + b.y, a.z + b.z);
}
NOINLINE vec3 v_sub(vec3 a, vec3 b) {
  return v_make(a.x - b.x, a.y - b.y, a.z - b.z);
}
NOINLINE vec3 v_scale(vec3 a, double s) {
  return v_make(a.x * s, a.y * s, a.z * s);
}
NOINLINE double v_dot(vec3 a, vec3 b) {
  return a.x * b.x + a.y * b.y + a.z * b.z;
}
NOINLINE vec3 v_norm(vec3 a) {
  return v_scale(a, 1.0 / __builtin_sqrt(v_dot(a, a)));
}

typedef struct {
  vec3 center;
  double radius;
} sphere;

// The distance along the ray (origin o, unit direction d) to the nearest hit, or 0.
NOINLINE double hit(const sphere* s, vec3 o, vec3 d) {
  vec3 oc = v_sub(o, s->center);
  double b = v_dot(oc, d);
  double disc = b * b - v_dot(oc, oc) + s->radius * s->radius;
  if (disc < 0) return 0;
  double t = -b - __builtin_sqrt(disc);
  return t > 1e-6 ? t : 0;
}

static uint64_t bench(uint32_t n) {
  enum { kSpheres = 4, kSide = 64 };
  sphere spheres[kSpheres];
  uint32_t seed = 12345;
  for (int i = 0; i < kSpheres; ++i) {
    // Field by field: clang 14's multi-value ABI crashes (RegisterStackify) on v_make calls
    // whose arguments call bench_rand.
    spheres[i].center.x = (double)(bench_rand(&seed) % 200) / 100 - 1;
    spheres[i].center.y = (double)(bench_rand(&seed) % 200) / 100 - 1;
    spheres[i].center.z = 3 + (double)(bench_rand(&seed) % 300) / 100;
    spheres[i].radius = 0.3 + (double)(bench_rand(&seed) % 50) / 100;
  }
  vec3 light = v_norm(v_make(1, 1, -1));
  double sum = 0;
  for (uint32_t frame = 0; frame < n; ++frame) {
    vec3 origin = v_make(0, 0, (double)frame / n);
    for (int y = 0; y < kSide; ++y) {
      for (int x = 0; x < kSide; ++x) {
        vec3 d =
            v_norm(v_make((x - kSide / 2) / (double)kSide, (y - kSide / 2) / (double)kSide, 1));
        double best = 0;
        const sphere* nearest = 0;
        for (int i = 0; i < kSpheres; ++i) {
          double t = hit(&spheres[i], origin, d);
          if (t > 0 && (best == 0 || t < best)) best = t, nearest = &spheres[i];
        }
        if (!nearest) continue;
        vec3 p = v_add(origin, v_scale(d, best));
        vec3 normal = v_norm(v_sub(p, nearest->center));
        double shade = v_dot(normal, light);
        sum += shade > 0 ? shade : 0;
      }
    }
  }
  return (uint64_t)(sum * 1000);
}

BENCH_MAIN(600, 30)
