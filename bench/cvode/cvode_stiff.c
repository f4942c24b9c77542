/*
 * cvode_stiff.c -- the CVODE side of `ordo bench --suite stiff`.
 *
 * SUNDIALS CVODE (variable-order BDF, Newton iteration, dense direct linear solver) on the stiff reference problems
 * of Ordo (ROBER, VDPOL, HIRES, OREGO, E5, POLLU, RINGMOD; definitions: Hairer & Wanner, Solving ODEs II, §IV.1 and
 * §IV.10; Mazzia & Magherini, Test Set for IVP Solvers, Bari, release 2.4). Each problem's right-hand side and dense
 * Jacobian are written here in C, the same math as src/Ordo.Problems/Ode/OdeTestProblems.Stiff.cs; `ordo bench`
 * checks both against the C# ones with the "eval" command before it trusts any timing.
 *
 * Built by `ordo bench` at run time (gcc, Debian's libsundials-dev 6.4.1, SUNDIALS 6.x C API):
 *   gcc -O2 -o cvode_stiff cvode_stiff.c -lsundials_cvode -lsundials_nvecserial \
 *       -lsundials_sunmatrixdense -lsundials_sunlinsoldense -lm
 * Started from ../shared/research/ode-data/cvode_rober.c (same settings; ROBER's f is written the same way, so its
 * counters are reproduced exactly).
 *
 * Commands, one per line on stdin (numbers in C's strtod syntax):
 *   run NAME JAC RTOL ATOL T0 T1 N Y0[1..N] REF[1..N] MIN_TOTAL_S MAX_REPEATS
 *       JAC 1 = the exact Jacobian below, 0 = CVODE's difference-quotient Jacobian. Solves once (the counters and
 *       the final state come from this solve), then again while the timed solves add up to less than MIN_TOTAL_S
 *       and fewer than MAX_REPEATS ran (at least 3 timed solves unless one solve takes longer than MIN_TOTAL_S).
 *       Every timed solve is the whole of a call: CVodeCreate ... CVode(T1, CV_NORMAL) ... CVodeFree, timed with
 *       clock_gettime(CLOCK_MONOTONIC). Prints one CSV line:
 *         problem,jac,rtol,atol,status,flag,time_s,repeats,error,nfe,nfe_ls,nje,nsetups,steps,netf,ncfn,y_final
 *       time_s is the median of the timed solves; error = max_i |y_i - ref_i| / (atol/rtol + |ref_i|) (the mixed
 *       error of the Bari test set, as Ordo's ErrorMetrics.Mixed); nsetups = LU factorizations (linear solver
 *       setups); y_final = the N final values separated by spaces. status: success, or failed (flag = CVODE's
 *       return flag, negative).
 *   eval NAME T N Y[1..N]
 *       Prints "eval,NAME,f1 ... fN,J11 J12 ... JNN" (the Jacobian row-major).
 *   header
 *       Prints the CSV header line of "run".
 * Unknown problem names print "unknown,NAME". The program exits 0 at end of input.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cvode/cvode.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_context.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunmatrix/sunmatrix_dense.h>

#define MAXN 32

/* f(t, y) -> dy and the dense Jacobian J[i*n + j] = d f_i / d y_j (row-major; copied into CVODE's matrix). */
typedef void (*rhs_fn)(double t, const double *y, double *dy);
typedef void (*jac_fn)(double t, const double *y, double *J);

/* ---------------------------------------------------------------- ROBER (HNW II §IV.1 (1.3)) */
static void rober_f(double t, const double *u, double *du)
{
  (void)t;
  double a = 0.04 * u[0], b = 1.0e4 * u[1] * u[2], c = 3.0e7 * u[1] * u[1];
  du[0] = -a + b;
  du[1] = a - b - c;
  du[2] = c;
}

static void rober_j(double t, const double *u, double *J)
{
  (void)t;
  J[0] = -0.04; J[1] = 1.0e4 * u[2]; J[2] = 1.0e4 * u[1];
  J[3] = 0.04;  J[4] = -1.0e4 * u[2] - 6.0e7 * u[1]; J[5] = -1.0e4 * u[1];
  J[6] = 0.0;   J[7] = 6.0e7 * u[1]; J[8] = 0.0;
}

/* ---------------------------------------------------------------- VDPOL (eps = 1e-6) */
#define VDP_EPS 1.0e-6
static void vdpol_f(double t, const double *y, double *dy)
{
  (void)t;
  dy[0] = y[1];
  dy[1] = ((1.0 - y[0] * y[0]) * y[1] - y[0]) / VDP_EPS;
}

static void vdpol_j(double t, const double *y, double *J)
{
  (void)t;
  J[0] = 0.0; J[1] = 1.0;
  J[2] = (-2.0 * y[0] * y[1] - 1.0) / VDP_EPS; J[3] = (1.0 - y[0] * y[0]) / VDP_EPS;
}

/* ---------------------------------------------------------------- HIRES (Schäfer 1975) */
static void hires_f(double t, const double *y, double *dy)
{
  (void)t;
  double r = 280.0 * y[5] * y[7];
  dy[0] = -1.71 * y[0] + 0.43 * y[1] + 8.32 * y[2] + 0.0007;
  dy[1] = 1.71 * y[0] - 8.75 * y[1];
  dy[2] = -10.03 * y[2] + 0.43 * y[3] + 0.035 * y[4];
  dy[3] = 8.32 * y[1] + 1.71 * y[2] - 1.12 * y[3];
  dy[4] = -1.745 * y[4] + 0.43 * y[5] + 0.43 * y[6];
  dy[5] = -r + 0.69 * y[3] + 1.71 * y[4] - 0.43 * y[5] + 0.69 * y[6];
  dy[6] = r - 1.81 * y[6];
  dy[7] = -dy[6];
}

static void hires_j(double t, const double *y, double *J)
{
  (void)t;
  const int n = 8;
  memset(J, 0, sizeof(double) * n * n);
  J[0 * n + 0] = -1.71; J[0 * n + 1] = 0.43; J[0 * n + 2] = 8.32;
  J[1 * n + 0] = 1.71; J[1 * n + 1] = -8.75;
  J[2 * n + 2] = -10.03; J[2 * n + 3] = 0.43; J[2 * n + 4] = 0.035;
  J[3 * n + 1] = 8.32; J[3 * n + 2] = 1.71; J[3 * n + 3] = -1.12;
  J[4 * n + 4] = -1.745; J[4 * n + 5] = 0.43; J[4 * n + 6] = 0.43;
  J[5 * n + 3] = 0.69; J[5 * n + 4] = 1.71; J[5 * n + 5] = -0.43 - 280.0 * y[7]; J[5 * n + 6] = 0.69;
  J[5 * n + 7] = -280.0 * y[5];
  J[6 * n + 5] = 280.0 * y[7]; J[6 * n + 6] = -1.81; J[6 * n + 7] = 280.0 * y[5];
  J[7 * n + 5] = -280.0 * y[7]; J[7 * n + 6] = 1.81; J[7 * n + 7] = -280.0 * y[5];
}

/* ---------------------------------------------------------------- OREGO (Field & Noyes 1974) */
#define OR_S 77.27
#define OR_W 0.161
#define OR_Q 8.375e-6
static void orego_f(double t, const double *y, double *dy)
{
  (void)t;
  dy[0] = OR_S * (y[1] + y[0] * (1.0 - OR_Q * y[0] - y[1]));
  dy[1] = (y[2] - (1.0 + y[0]) * y[1]) / OR_S;
  dy[2] = OR_W * (y[0] - y[2]);
}

static void orego_j(double t, const double *y, double *J)
{
  (void)t;
  J[0] = OR_S * (1.0 - 2.0 * OR_Q * y[0] - y[1]); J[1] = OR_S * (1.0 - y[0]); J[2] = 0.0;
  J[3] = -y[1] / OR_S; J[4] = -(1.0 + y[0]) / OR_S; J[5] = 1.0 / OR_S;
  J[6] = OR_W; J[7] = 0.0; J[8] = -OR_W;
}

/* ---------------------------------------------------------------- E5 (Enright, Hull & Lindberg 1975) */
#define E5_A 7.89e-10
#define E5_B 1.1e7
#define E5_C 1.13e3
#define E5_M 1.0e6
static void e5_f(double t, const double *y, double *dy)
{
  (void)t;
  double r1 = E5_A * y[0], r2 = E5_B * y[0] * y[2], r3 = E5_M * E5_C * y[1] * y[2], r4 = E5_C * y[3];
  dy[0] = -r1 - r2;
  dy[1] = r1 - r3;
  dy[2] = r1 - r2 - r3 + r4;
  dy[3] = r2 - r4;
}

static void e5_j(double t, const double *y, double *J)
{
  (void)t;
  const double mc = E5_M * E5_C;
  J[0] = -E5_A - E5_B * y[2]; J[1] = 0.0; J[2] = -E5_B * y[0]; J[3] = 0.0;
  J[4] = E5_A; J[5] = -mc * y[2]; J[6] = -mc * y[1]; J[7] = 0.0;
  J[8] = E5_A - E5_B * y[2]; J[9] = -mc * y[2]; J[10] = -E5_B * y[0] - mc * y[1]; J[11] = E5_C;
  J[12] = E5_B * y[2]; J[13] = 0.0; J[14] = E5_B * y[0]; J[15] = -E5_C;
}

/* ---------------------------------------------------------------- POLLU (Verwer 1994), 20 species, 25 reactions */
static const double POL_K[25] = {0.35, 26.6, 1.23e4, 8.6e-4, 8.2e-4, 1.5e4, 1.3e-4, 2.4e4, 1.65e4, 9e3, 2.2e-2,
                                 1.2e4, 1.88, 1.63e4, 4.8e6, 3.5e-4, 1.75e-2, 1e8, 4.44e11, 1.24e3, 2.1, 5.78,
                                 4.74e-2, 1.78e3, 3.12};
/* reactants (0-based); -1: first-order reaction */
static const int POL_A[25] = {0, 1, 4, 6, 6, 6, 8, 8, 10, 10, 12, 9, 13, 0, 2, 3, 3, 15, 15, 16, 18, 18, 0, 18, 19};
static const int POL_B[25] = {-1, 3, 1, -1, -1, 5, -1, 5, 1, 0, -1, 1, -1, 5, -1, -1, -1, -1, -1, 5, -1, -1, 3, 0, -1};
/* species equations: (1-based reaction, coefficient) pairs; POL_START[i] .. POL_START[i+1]-1 belong to species i */
static const int POL_R[75] = {1, 10, 14, 23, 24, 2, 3, 9, 11, 12, 22, 25, 2, 3, 9, 12, 1, 21, 15, 1, 17, 19, 22,
                              2, 16, 17, 23, 15, 3, 4, 6, 7, 13, 20, 6, 8, 14, 20, 3, 18, 4, 5, 6, 13, 4, 5, 6, 7,
                              7, 8, 12, 7, 9, 9, 10, 8, 11, 9, 11, 10, 13, 12, 14, 18, 19, 16, 20, 20, 21, 22, 24,
                              23, 25, 25, 24};
static const double POL_C[75] = {-1, -1, -1, -1, -1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, 1, 1, -1, 1, 1, 1, 1,
                                 -1, -1, -1, -1, 1, -1, 2, 1, 1, 1, 1, -1, -1, -1, -1, 1, 2, -1, -1, -1, 1, 1, 1, 1, 1,
                                 -1, -1, -1, 1, 1, -1, -1, 1, 1, 1, -1, 1, -1, 1, 1, -1, -1, 1, -1, 1, -1, -1, -1,
                                 1, 1, -1, 1};
static const int POL_START[21] = {0, 12, 18, 23, 28, 34, 40, 44, 48, 50, 53, 57, 58, 60, 62, 63, 66, 67, 68, 73, 75};

static void pollu_f(double t, const double *y, double *dy)
{
  (void)t;
  double r[25];
  for (int j = 0; j < 25; j++) r[j] = POL_K[j] * y[POL_A[j]] * (POL_B[j] >= 0 ? y[POL_B[j]] : 1.0);
  for (int i = 0; i < 20; i++) {
    double s = 0.0;
    for (int p = POL_START[i]; p < POL_START[i + 1]; p++) s += POL_C[p] * r[POL_R[p] - 1];
    dy[i] = s;
  }
}

static void pollu_j(double t, const double *y, double *J)
{
  (void)t;
  memset(J, 0, sizeof(double) * 400);
  for (int i = 0; i < 20; i++) {
    for (int p = POL_START[i]; p < POL_START[i + 1]; p++) {
      int j = POL_R[p] - 1, a = POL_A[j], b = POL_B[j];
      double k = POL_C[p] * POL_K[j];
      if (b < 0) {
        J[i * 20 + a] += k;
      } else {
        J[i * 20 + a] += k * y[b];
        J[i * 20 + b] += k * y[a];
      }
    }
  }
}

/* ---------------------------------------------------------------- RINGMOD (ODE variant, Cs = 2e-12) */
#define RG_C 1.6e-8
#define RG_CS 2e-12
#define RG_CP 1e-8
#define RG_R 25e3
#define RG_RP 50.0
#define RG_LH 4.45
#define RG_LS1 2e-3
#define RG_LS2 5e-4
#define RG_LS3 5e-4
#define RG_RG1 36.3
#define RG_RG2 17.3
#define RG_RG3 17.3
#define RG_RI 50.0
#define RG_RC 600.0
#define RG_GAMMA 40.67286402e-9
#define RG_DELTA 17.7493332

static void ring_ud(double t, const double *y, double ud[4])
{
  double uin2 = 2.0 * sin(2e4 * M_PI * t);
  ud[0] = y[2] - y[4] - y[6] - uin2;
  ud[1] = -y[3] + y[5] - y[6] - uin2;
  ud[2] = y[3] + y[4] + y[6] + uin2;
  ud[3] = -y[2] - y[5] + y[6] + uin2;
}

static void ring_f(double t, const double *y, double *dy)
{
  double uin1 = 0.5 * sin(2e3 * M_PI * t), ud[4], q[4];
  ring_ud(t, y, ud);
  for (int m = 0; m < 4; m++) q[m] = RG_GAMMA * (exp(RG_DELTA * ud[m]) - 1.0);
  dy[0] = (y[7] - 0.5 * y[9] + 0.5 * y[10] + y[13] - y[0] / RG_R) / RG_C;
  dy[1] = (y[8] - 0.5 * y[11] + 0.5 * y[12] + y[14] - y[1] / RG_R) / RG_C;
  dy[2] = (y[9] - q[0] + q[3]) / RG_CS;
  dy[3] = (-y[10] + q[1] - q[2]) / RG_CS;
  dy[4] = (y[11] + q[0] - q[2]) / RG_CS;
  dy[5] = (-y[12] - q[1] + q[3]) / RG_CS;
  dy[6] = (-y[6] / RG_RP + q[0] + q[1] - q[2] - q[3]) / RG_CP;
  dy[7] = -y[0] / RG_LH;
  dy[8] = -y[1] / RG_LH;
  dy[9] = (0.5 * y[0] - y[2] - RG_RG2 * y[9]) / RG_LS2;
  dy[10] = (-0.5 * y[0] + y[3] - RG_RG3 * y[10]) / RG_LS3;
  dy[11] = (0.5 * y[1] - y[4] - RG_RG2 * y[11]) / RG_LS2;
  dy[12] = (-0.5 * y[1] + y[5] - RG_RG3 * y[12]) / RG_LS3;
  dy[13] = (-y[0] + uin1 - (RG_RI + RG_RG1) * y[13]) / RG_LS1;
  dy[14] = (-y[1] - (RG_RC + RG_RG1) * y[14]) / RG_LS1;
}

/* dud_m/dy: three (column, sign) pairs per diode; the diode currents' coefficients in rows 3..7 (0-based 2..6) */
static const int RING_COL[12] = {2, 4, 6, 3, 5, 6, 3, 4, 6, 2, 5, 6};
static const double RING_SIGN[12] = {1, -1, -1, -1, 1, -1, 1, 1, 1, -1, -1, 1};
static const double RING_ROWS[20] = {-1, 0, 0, 1, 0, 1, -1, 0, 1, 0, -1, 0, 0, -1, 0, 1, 1, 1, -1, -1};

static void ring_j(double t, const double *y, double *J)
{
  const int n = 15;
  double ud[4];
  memset(J, 0, sizeof(double) * n * n);
  J[0 * n + 0] = -1.0 / (RG_R * RG_C); J[0 * n + 7] = 1.0 / RG_C; J[0 * n + 9] = -0.5 / RG_C;
  J[0 * n + 10] = 0.5 / RG_C; J[0 * n + 13] = 1.0 / RG_C;
  J[1 * n + 1] = -1.0 / (RG_R * RG_C); J[1 * n + 8] = 1.0 / RG_C; J[1 * n + 11] = -0.5 / RG_C;
  J[1 * n + 12] = 0.5 / RG_C; J[1 * n + 14] = 1.0 / RG_C;
  J[2 * n + 9] = 1.0 / RG_CS;
  J[3 * n + 10] = -1.0 / RG_CS;
  J[4 * n + 11] = 1.0 / RG_CS;
  J[5 * n + 12] = -1.0 / RG_CS;
  J[6 * n + 6] = -1.0 / (RG_RP * RG_CP);
  ring_ud(t, y, ud);
  for (int m = 0; m < 4; m++) {
    double dq = RG_GAMMA * RG_DELTA * exp(RG_DELTA * ud[m]);
    for (int row = 2; row <= 6; row++) {
      double c = RING_ROWS[(row - 2) * 4 + m];
      if (c == 0.0) continue;
      double scaled = c * dq / (row == 6 ? RG_CP : RG_CS);
      for (int k = 0; k < 3; k++) J[row * n + RING_COL[m * 3 + k]] += RING_SIGN[m * 3 + k] * scaled;
    }
  }
  J[7 * n + 0] = -1.0 / RG_LH;
  J[8 * n + 1] = -1.0 / RG_LH;
  J[9 * n + 0] = 0.5 / RG_LS2; J[9 * n + 2] = -1.0 / RG_LS2; J[9 * n + 9] = -RG_RG2 / RG_LS2;
  J[10 * n + 0] = -0.5 / RG_LS3; J[10 * n + 3] = 1.0 / RG_LS3; J[10 * n + 10] = -RG_RG3 / RG_LS3;
  J[11 * n + 1] = 0.5 / RG_LS2; J[11 * n + 4] = -1.0 / RG_LS2; J[11 * n + 11] = -RG_RG2 / RG_LS2;
  J[12 * n + 1] = -0.5 / RG_LS3; J[12 * n + 5] = 1.0 / RG_LS3; J[12 * n + 12] = -RG_RG3 / RG_LS3;
  J[13 * n + 0] = -1.0 / RG_LS1; J[13 * n + 13] = -(RG_RI + RG_RG1) / RG_LS1;
  J[14 * n + 1] = -1.0 / RG_LS1; J[14 * n + 14] = -(RG_RC + RG_RG1) / RG_LS1;
}

/* ---------------------------------------------------------------- the problem table */
typedef struct {
  const char *name;
  int n;
  rhs_fn f;
  jac_fn jac;
} problem;

static const problem PROBLEMS[] = {
  {"ROBER_40", 3, rober_f, rober_j}, {"ROBER_1e11", 3, rober_f, rober_j}, {"VDPOL", 2, vdpol_f, vdpol_j},
  {"HIRES", 8, hires_f, hires_j},    {"OREGO", 3, orego_f, orego_j},      {"E5", 4, e5_f, e5_j},
  {"POLLU", 20, pollu_f, pollu_j},   {"RINGMOD", 15, ring_f, ring_j},
};

static const problem *find_problem(const char *name)
{
  for (size_t i = 0; i < sizeof(PROBLEMS) / sizeof(PROBLEMS[0]); i++)
    if (strcmp(PROBLEMS[i].name, name) == 0) return &PROBLEMS[i];
  return NULL;
}

/* ---------------------------------------------------------------- CVODE glue */
static int cv_rhs(realtype t, N_Vector y, N_Vector ydot, void *user_data)
{
  const problem *p = (const problem *)user_data;
  double *dy = N_VGetArrayPointer(ydot);
  p->f(t, N_VGetArrayPointer(y), dy);
  for (int i = 0; i < p->n; i++)
    if (!isfinite(dy[i])) return 1; /* recoverable: CVODE retries with a smaller step */
  return 0;
}

static int cv_jac(realtype t, N_Vector y, N_Vector fy, SUNMatrix J, void *user_data, N_Vector tmp1, N_Vector tmp2,
                  N_Vector tmp3)
{
  (void)fy; (void)tmp1; (void)tmp2; (void)tmp3;
  const problem *p = (const problem *)user_data;
  double buf[MAXN * MAXN];
  p->jac(t, N_VGetArrayPointer(y), buf);
  for (int i = 0; i < p->n; i++)
    for (int j = 0; j < p->n; j++) SM_ELEMENT_D(J, i, j) = buf[i * p->n + j];
  return 0;
}

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef struct {
  int flag;
  long nst, nfe, nfeLS, nje, nsetups, netf, ncfn;
  double y[MAXN];
} solve_result;

/* One whole solve: create, integrate to t1, read the counters, free. */
static void solve(SUNContext ctx, const problem *p, int use_jac, double rtol, double atol, double t0, double t1,
                  const double *y0, solve_result *out)
{
  N_Vector y = N_VNew_Serial(p->n, ctx);
  double *u = N_VGetArrayPointer(y);
  for (int i = 0; i < p->n; i++) u[i] = y0[i];
  void *mem = CVodeCreate(CV_BDF, ctx);
  int flag = CVodeInit(mem, cv_rhs, t0, y);
  flag |= CVodeSStolerances(mem, rtol, atol);
  flag |= CVodeSetUserData(mem, (void *)p);
  SUNMatrix A = SUNDenseMatrix(p->n, p->n, ctx);
  SUNLinearSolver LS = SUNLinSol_Dense(y, A, ctx);
  flag |= CVodeSetLinearSolver(mem, LS, A);
  if (use_jac) flag |= CVodeSetJacFn(mem, cv_jac);
  flag |= CVodeSetMaxNumSteps(mem, 1000000);
  if (flag == 0) {
    realtype t = t0;
    flag = CVode(mem, t1, y, &t, CV_NORMAL);
  } else {
    flag = -999;
  }
  out->flag = flag;
  CVodeGetNumSteps(mem, &out->nst);
  CVodeGetNumRhsEvals(mem, &out->nfe);
  CVodeGetNumLinRhsEvals(mem, &out->nfeLS);
  CVodeGetNumJacEvals(mem, &out->nje);
  CVodeGetNumLinSolvSetups(mem, &out->nsetups);
  CVodeGetNumErrTestFails(mem, &out->netf);
  CVodeGetNumNonlinSolvConvFails(mem, &out->ncfn);
  for (int i = 0; i < p->n; i++) out->y[i] = u[i];
  N_VDestroy(y);
  SUNMatDestroy(A);
  SUNLinSolFree(LS);
  CVodeFree(&mem);
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static int read_doubles(double *v, int n)
{
  for (int i = 0; i < n; i++)
    if (scanf("%lf", &v[i]) != 1) return 0;
  return 1;
}

/* After a command's arguments were read (ok): the problem, or NULL after printing "unknown,NAME". Unreadable
   arguments print "bad_input" and end the program (exit code 2). */
static const problem *parsed_problem(int ok, const char *name, int n)
{
  if (!ok) {
    printf("bad_input\n");
    fflush(stdout);
    exit(2);
  }
  const problem *p = find_problem(name);
  if (p == NULL || p->n != n) {
    printf("unknown,%s\n", name);
    fflush(stdout);
    return NULL;
  }
  return p;
}

static void run_command(SUNContext ctx)
{
  char name[64];
  int use_jac, n, max_repeats;
  double rtol, atol, t0, t1, min_total, y0[MAXN], ref[MAXN];
  int ok = scanf("%63s %d %lf %lf %lf %lf %d", name, &use_jac, &rtol, &atol, &t0, &t1, &n) == 7 && n >= 1 && n <= MAXN
           && read_doubles(y0, n) && read_doubles(ref, n) && scanf("%lf %d", &min_total, &max_repeats) == 2;
  const problem *p = parsed_problem(ok, name, n);
  if (p == NULL) return;
  solve_result first, again;
  double start = now_s();
  solve(ctx, p, use_jac, rtol, atol, t0, t1, y0, &first);
  double times[1000];
  int count = 0;
  times[count++] = now_s() - start;
  if (max_repeats > 1000) max_repeats = 1000;
  if (first.flag >= 0 && times[0] <= min_total) {
    /* the first solve was the warm-up (caches, page faults); time fresh ones. A solve longer than MIN_TOTAL_S
       keeps its single time. */
    double total = 0.0;
    count = 0;
    while (count < max_repeats && (total < min_total || count < 3)) {
      double s = now_s();
      solve(ctx, p, use_jac, rtol, atol, t0, t1, y0, &again);
      times[count] = now_s() - s;
      total += times[count++];
    }
  }
  qsort(times, (size_t)count, sizeof(double), cmp_double);
  double median = count % 2 ? times[count / 2] : 0.5 * (times[count / 2 - 1] + times[count / 2]);
  double mix = 0.0;
  for (int i = 0; i < n; i++) {
    double e = fabs(first.y[i] - ref[i]) / (atol / rtol + fabs(ref[i]));
    if (isnan(e)) { mix = NAN; break; }
    if (e > mix) mix = e;
  }
  printf("%s,%d,%.6g,%.6g,%s,%d,%.6e,%d,%.6e,%ld,%ld,%ld,%ld,%ld,%ld,%ld,", name, use_jac, rtol, atol,
         first.flag >= 0 ? "success" : "failed", first.flag, median, count, mix, first.nfe, first.nfeLS, first.nje,
         first.nsetups, first.nst, first.netf, first.ncfn);
  for (int i = 0; i < n; i++) printf(i ? " %.17g" : "%.17g", first.y[i]);
  printf("\n");
  fflush(stdout);
}

static void eval_command(void)
{
  char name[64];
  int n;
  double t, y[MAXN], dy[MAXN], J[MAXN * MAXN];
  int ok = scanf("%63s %lf %d", name, &t, &n) == 3 && n >= 1 && n <= MAXN && read_doubles(y, n);
  const problem *p = parsed_problem(ok, name, n);
  if (p == NULL) return;
  p->f(t, y, dy);
  p->jac(t, y, J);
  printf("eval,%s,", name);
  for (int i = 0; i < n; i++) printf(i ? " %.17g" : "%.17g", dy[i]);
  printf(",");
  for (int i = 0; i < n * n; i++) printf(i ? " %.17g" : "%.17g", J[i]);
  printf("\n");
  fflush(stdout);
}

int main(void)
{
  SUNContext ctx;
  if (SUNContext_Create(NULL, &ctx)) {
    fprintf(stderr, "SUNContext_Create failed\n");
    return 1;
  }
  char cmd[32];
  while (scanf("%31s", cmd) == 1) {
    if (strcmp(cmd, "run") == 0) run_command(ctx);
    else if (strcmp(cmd, "eval") == 0) eval_command();
    else if (strcmp(cmd, "header") == 0) {
      printf("problem,jac,rtol,atol,status,flag,time_s,repeats,error,nfe,nfe_ls,nje,nsetups,steps,netf,ncfn,y_final\n");
      fflush(stdout);
    } else {
      printf("bad_command,%s\n", cmd);
      fflush(stdout);
      return 2;
    }
  }
  SUNContext_Free(&ctx);
  return 0;
}
