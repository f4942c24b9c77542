#!/usr/bin/python3
"""Build the small ONNX velocity networks the tests of Ordo.Sampling.Onnx run, fitted to the exact GMM2 flow.

Writes into tests/Ordo.Sampling.Onnx.Tests/Data/ (or --out):
  gmm2_velocity.onnx       unconditional: inputs x [batch, 2], t [batch, 1]             -> v [batch, 2]
  gmm2_velocity_cond.onnx  conditional:   inputs x [batch, 2], t [batch, 1], cond [batch, 2] (one-hot class A/B) -> v
  signatures/*.onnx        tiny models (v = x * t [+ cond]) in every accepted input layout, and broken ones
  gmm2_velocity.json       test vectors (inputs and this script's float64 forward pass of the float32 weights) and
                           the measured fit errors

The network (float32, opset 13, IR 8):
  features = [x, t, sin(w t), cos(w t), (cond)]   with w = (pi/2, pi, 2 pi)
  h1 = tanh(features W1 + b1)   (128)
  h2 = tanh(h1 W2 + b2)         (128)
  v  = h2 W3 + b3               (2)
Time is the noise level tau (noise at 1, FLUX convention): x_tau = (1 - tau) x_data + tau eps, v = dx/dtau.

Fit: the target is the exact rectified-flow velocity of GMM2 (flows.md section 8; Ordo.Problems' GaussianMixtureFlow.Gmm2):
components pi = (0.4, 0.6), mu = ((2, 1), (-1.5, -0.5)), s = ((0.5, 0.5), (0.3, 0.8)); with alpha = 1 - tau,
sigma = tau, C_kj = alpha^2 s_kj^2 + sigma^2, r_kj = (x_j - alpha mu_kj) / C_kj, w = softmax_k(log pi_k
- 1/2 sum_j [(x_j - alpha mu_kj)^2 / C_kj + log C_kj]), D = sum_k w_k (mu_k + alpha s_k^2 r_k), E = sum_k w_k sigma r_k,
v = E - D. The class-conditional field restricts the sum to one component (class A = component 0, B = component 1).
Training points are drawn the way flow matching draws them (tau ~ U(0, 1), x_data ~ GMM2, eps ~ N(0, I)), the
regression target is the exact v (not the noisy eps - x_data). Random tanh features with a least-squares readout
(numpy lstsq) give a relative RMS error of 12.9 % (unconditional) and 3.9 % (conditional); 6000 Adam steps on
all layers followed by a final least-squares readout bring that to 3.9 % and 0.88 % (the script prints the figures
and stores them in the JSON, with the endpoint errors of sampling tau: 1 -> 0 against the exact flow).

Run with Debian's interpreter, which has numpy and onnx (apt-get install python3-onnx):
    /usr/bin/python3 tools/onnx/make_velocity_model.py
It is deterministic (fixed seeds) and takes a few minutes with Debian's reference BLAS; the two networks are fitted
in parallel processes.
"""
import argparse
import json
import os
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, '..', '..', 'tests', 'Ordo.Sampling.Onnx.Tests', 'Data')

WEIGHTS = np.array([0.4, 0.6])
MEANS = np.array([[2.0, 1.0], [-1.5, -0.5]])
STDS = np.array([[0.5, 0.5], [0.3, 0.8]])
FREQUENCIES = np.array([0.5, 1.0, 2.0]) * np.pi
HIDDEN = 128
D = 2


def exact_velocity(x, tau, component=None):
    """The exact GMM2 velocity dx/dtau at points x [n, 2] and noise levels tau [n]; one component or the mixture."""
    a = (1 - tau)[:, None]
    s = tau[:, None]
    ks = [0, 1] if component is None else [component]
    logw, dpred, epred = [], [], []
    for k in ks:
        c = a * a * STDS[k] ** 2 + s * s
        r = (x - a * MEANS[k]) / c
        logw.append(np.log(WEIGHTS[k]) - 0.5 * np.sum((x - a * MEANS[k]) ** 2 / c + np.log(c), axis=1))
        dpred.append(MEANS[k] + a * STDS[k] ** 2 * r)
        epred.append(s * r)
    logw = np.stack(logw, axis=1)
    w = np.exp(logw - logw.max(axis=1, keepdims=True))
    w /= w.sum(axis=1, keepdims=True)
    return sum(w[:, i:i + 1] * (epred[i] - dpred[i]) for i in range(len(ks)))


def exact_velocity_conditional(x, tau, cond):
    """The class-conditional velocity; cond [n, 2] is one-hot."""
    if cond is None:
        return exact_velocity(x, tau)
    k = cond.argmax(axis=1)
    return np.where(k[:, None] == 0, exact_velocity(x, tau, 0), exact_velocity(x, tau, 1))


def draw(rng, n, conditional):
    """Points on the flow-matching path: tau ~ U(0, 1), x = (1 - tau) x_data + tau eps, with the exact velocity."""
    k = (rng.random(n) < WEIGHTS[1]).astype(int)
    data = MEANS[k] + STDS[k] * rng.standard_normal((n, D))
    tau = rng.random(n)
    x = (1 - tau)[:, None] * data + tau[:, None] * rng.standard_normal((n, D))
    cond = np.eye(2)[k] if conditional else None
    return x, tau, cond, exact_velocity_conditional(x, tau, cond)


def features(x, tau, cond):
    t = tau[:, None]
    parts = [x, t, np.sin(t * FREQUENCIES), np.cos(t * FREQUENCIES)]
    if cond is not None:
        parts.append(cond)
    return np.concatenate(parts, axis=1)


def hidden(p, f):
    return np.tanh(np.tanh(f @ p[0] + p[1]) @ p[2] + p[3])


def forward(p, f):
    return hidden(p, f) @ p[4] + p[5]


def least_squares_readout(p, f, v):
    a = np.hstack([hidden(p, f), np.ones((len(f), 1))])
    sol = np.linalg.lstsq(a, v, rcond=None)[0]
    return [sol[:-1], sol[-1]]


def relative_rms(p, f, v):
    return float(np.sqrt(np.mean((forward(p, f) - v) ** 2) / np.mean(v ** 2)))


def fit(conditional, steps, batch, seed):
    """Random tanh features, least-squares readout, then Adam on all layers and a final least-squares readout."""
    rng = np.random.default_rng(seed)
    x, tau, cond, v = draw(rng, 20000, conditional)
    f = features(x, tau, cond)
    xt, taut, condt, vt = draw(rng, 20000, conditional)
    ft = features(xt, taut, condt)
    nin = f.shape[1]
    p = [rng.standard_normal((nin, HIDDEN)) / np.sqrt(nin), rng.standard_normal(HIDDEN) * 0.5,
         rng.standard_normal((HIDDEN, HIDDEN)) * 2 / np.sqrt(HIDDEN), rng.standard_normal(HIDDEN) * 0.3]
    p += least_squares_readout(p, f, v)
    report = {'random_features_relative_rms': relative_rms(p, ft, vt)}
    # Adam (float32 arithmetic for speed), cosine learning-rate decay.
    p = [q.astype(np.float32) for q in p]
    m = [np.zeros_like(q) for q in p]
    s2 = [np.zeros_like(q) for q in p]
    lr, b1, b2 = 2e-3, 0.9, 0.999
    start = time.time()
    for it in range(1, steps + 1):
        xb, taub, condb, vb = draw(rng, batch, conditional)
        fb = features(xb, taub, condb).astype(np.float32)
        h1 = np.tanh(fb @ p[0] + p[1])
        h2 = np.tanh(h1 @ p[2] + p[3])
        g = (2 * (h2 @ p[4] + p[5] - vb) / batch).astype(np.float32)
        gz2 = (g @ p[4].T) * (1 - h2 * h2)
        gz1 = (gz2 @ p[2].T) * (1 - h1 * h1)
        grads = [fb.T @ gz1, gz1.sum(0), h1.T @ gz2, gz2.sum(0), h2.T @ g, g.sum(0)]
        rate = lr * 0.5 * (1 + np.cos(np.pi * it / steps))
        for i, gi in enumerate(grads):
            m[i] = b1 * m[i] + (1 - b1) * gi
            s2[i] = b2 * s2[i] + (1 - b2) * gi * gi
            p[i] = p[i] - rate * (m[i] / (1 - b1 ** it)) / (np.sqrt(s2[i] / (1 - b2 ** it)) + 1e-8)
        if it % 1000 == 0:
            print(f"  {'cond' if conditional else 'uncond'}: step {it}, relative RMS {relative_rms(p, ft, vt):.4f}, {time.time() - start:.0f} s", flush=True)
    p = [q.astype(np.float64) for q in p]
    p[4:] = least_squares_readout(p, f, v)
    p = [q.astype(np.float32) for q in p]
    report['adam_steps'] = steps
    report['relative_rms'] = relative_rms([q.astype(np.float64) for q in p], ft, vt)
    return p, report


def flow(velocity, x, tau_from, tau_to, steps):
    """Classical RK4 with `steps` uniform steps in tau (for the fit report)."""
    h = (tau_to - tau_from) / steps
    for i in range(steps):
        t = np.full(len(x), tau_from + i * h)
        k1 = velocity(x, t)
        k2 = velocity(x + h / 2 * k1, t + h / 2)
        k3 = velocity(x + h / 2 * k2, t + h / 2)
        k4 = velocity(x + h * k3, t + h)
        x = x + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    return x


def endpoint_errors(p, conditional, seed):
    """Sampling tau: 1 -> 0 with the network and with the exact field (RK4, 200 steps) from the same noise."""
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((256, D))
    out = {}
    for label, cond_row in ([('A', np.array([1.0, 0.0])), ('B', np.array([0.0, 1.0]))] if conditional else [('none', None)]):
        cond = None if cond_row is None else np.tile(cond_row, (len(z), 1))
        net = flow(lambda x, t: forward(p, features(x, t, cond)), z, 1.0, 0.0, 200)
        ref = flow(lambda x, t: exact_velocity_conditional(x, t, cond), z, 1.0, 0.0, 200)
        err = np.linalg.norm(net - ref, axis=1)
        out[label] = {'mean': float(err.mean()), 'median': float(np.median(err)), 'max': float(err.max())}
    return out


def export(p, conditional, path):
    x = helper.make_tensor_value_info('x', TensorProto.FLOAT, ['batch', D])
    t = helper.make_tensor_value_info('t', TensorProto.FLOAT, ['batch', 1])
    v = helper.make_tensor_value_info('v', TensorProto.FLOAT, ['batch', D])
    inputs = [x, t]
    concat = ['x', 't', 'sin_t', 'cos_t']
    if conditional:
        inputs.append(helper.make_tensor_value_info('cond', TensorProto.FLOAT, ['batch', 2]))
        concat.append('cond')
    nodes = [
        helper.make_node('Mul', ['t', 'freq'], ['wt']),
        helper.make_node('Sin', ['wt'], ['sin_t']),
        helper.make_node('Cos', ['wt'], ['cos_t']),
        helper.make_node('Concat', concat, ['f0'], axis=1),
        helper.make_node('MatMul', ['f0', 'W1'], ['z1a']),
        helper.make_node('Add', ['z1a', 'b1'], ['z1']),
        helper.make_node('Tanh', ['z1'], ['h1']),
        helper.make_node('MatMul', ['h1', 'W2'], ['z2a']),
        helper.make_node('Add', ['z2a', 'b2'], ['z2']),
        helper.make_node('Tanh', ['z2'], ['h2']),
        helper.make_node('MatMul', ['h2', 'W3'], ['va']),
        helper.make_node('Add', ['va', 'b3'], ['v']),
    ]
    init = [numpy_helper.from_array(FREQUENCIES.astype(np.float32).reshape(1, -1), 'freq')]
    init += [numpy_helper.from_array(q, n) for q, n in zip(p, ['W1', 'b1', 'W2', 'b2', 'W3', 'b3'])]
    name = 'gmm2_velocity_cond' if conditional else 'gmm2_velocity'
    graph = helper.make_graph(nodes, name, inputs, [v], initializer=init)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)], producer_name='ordo tools/onnx/make_velocity_model.py')
    model.ir_version = 8
    model.doc_string = 'GMM2 rectified-flow velocity, noise level tau (noise at 1), fitted MLP 128-128'
    onnx.checker.check_model(model)
    onnx.save(model, path)


def reference_forward(p, x, tau, cond):
    """The forward pass of the exported float32 weights in float64 (what ONNX Runtime must reproduce)."""
    q = [w.astype(np.float64) for w in p]
    x = x.astype(np.float32).astype(np.float64)
    t = tau.astype(np.float32).astype(np.float64)[:, None]
    wt = (t * FREQUENCIES.astype(np.float32).astype(np.float64)).astype(np.float32).astype(np.float64)
    parts = [x, t, np.sin(wt), np.cos(wt)] + ([cond] if cond is not None else [])
    return forward(q, np.concatenate(parts, axis=1))


def test_vectors(p_uncond, p_cond):
    rng = np.random.default_rng(11)
    n = 16
    x = np.round(rng.uniform(-2.5, 2.5, (n, D)), 3)
    tau = np.array([0.0, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 1.0, 0.25])
    cond = np.eye(2)[np.arange(n) % 2]
    return {
        'x': x.tolist(),
        't': tau.tolist(),
        'cond': cond.tolist(),
        'v_uncond': reference_forward(p_uncond, x, tau, None).tolist(),
        'v_cond': reference_forward(p_cond, x, tau, cond).tolist(),
        'v_exact_uncond': exact_velocity(x, tau).tolist(),
        'v_exact_cond': exact_velocity_conditional(x, tau, cond).tolist(),
    }


def tiny_model(path, inputs, output, nodes, initializers=()):
    """A hand-written graph with the given (name, element type, shape) inputs and output."""
    def info(name, elem, shape):
        return helper.make_tensor_value_info(name, elem, shape)
    graph = helper.make_graph(nodes, os.path.basename(path)[:-5], [info(*i) for i in inputs], [info(*output)],
                              initializer=list(initializers))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)], producer_name='ordo tools/onnx/make_velocity_model.py')
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)


def write_signature_models(out):
    """Tiny models for the signature tests: v = x * t (+ cond), in every accepted layout, and broken signatures."""
    F, DBL = TensorProto.FLOAT, TensorProto.DOUBLE
    x = ('x', F, ['batch', 2])
    v = ('v', F, ['batch', 2])
    mul = helper.make_node('Mul', ['x', 't'], ['v'])
    d = os.path.join(out, 'signatures')
    os.makedirs(d, exist_ok=True)
    axes = numpy_helper.from_array(np.array([1], dtype=np.int64), 'axes')
    good = {
        # v = x * t with t [batch] (unsqueezed to a column), [1], [1, 1] and a scalar
        't_vector': ([x, ('t', F, ['batch'])], v, [helper.make_node('Unsqueeze', ['t', 'axes'], ['tc']),
                                                     helper.make_node('Mul', ['x', 'tc'], ['v'])], [axes]),
        't_shared': ([x, ('t', F, [1])], v, [mul], []),
        't_shared_2d': ([x, ('t', F, [1, 1])], v, [mul], []),
        't_scalar': ([x, ('t', F, [])], v, [mul], []),
        # v = x * t + cond with cond [c] and [1, c]
        'cond_shared': ([x, ('t', F, ['batch', 1]), ('cond', F, [2])], v,
                        [helper.make_node('Mul', ['x', 't'], ['xt']), helper.make_node('Add', ['xt', 'cond'], ['v'])], []),
        'cond_shared_2d': ([x, ('t', F, ['batch', 1]), ('cond', F, [1, 2])], v,
                           [helper.make_node('Mul', ['x', 't'], ['xt']), helper.make_node('Add', ['xt', 'cond'], ['v'])], []),
        # a batch size fixed at export
        'fixed_batch': ([('x', F, [4, 2]), ('t', F, [4, 1])], ('v', F, [4, 2]), [mul], []),
        # other names: points, time, velocity
        'renamed': ([('points', F, ['batch', 2]), ('time', F, ['batch', 1])], ('velocity', F, ['batch', 2]),
                    [helper.make_node('Mul', ['points', 'time'], ['velocity'])], []),
    }
    ident = [helper.make_node('Identity', ['x'], ['v'])]
    bad = {
        'bad_x_rank': ([('x', F, ['batch', 2, 1]), ('t', F, ['batch', 1])], ('v', F, ['batch', 2, 1]), ident, []),
        'bad_x_type': ([('x', DBL, ['batch', 2]), ('t', F, ['batch', 1])], ('v', DBL, ['batch', 2]), ident, []),
        'bad_x_free_dimension': ([('x', F, ['batch', 'd']), ('t', F, ['batch', 1])], ('v', F, ['batch', 'd']), ident, []),
        'bad_no_t': ([x], v, ident, []),
        'bad_t_shape': ([x, ('t', F, ['batch', 2])], v, [helper.make_node('Mul', ['x', 't'], ['v'])], []),
        'bad_extra_input': ([x, ('t', F, ['batch', 1]), ('mask', F, ['batch', 2])], v, [helper.make_node('Mul', ['x', 'mask'], ['v'])], []),
        'bad_v_dimension': ([x, ('t', F, ['batch', 1])], ('v', F, ['batch', 3]), [helper.make_node('Concat', ['x', 't'], ['v'], axis=1)], []),
        'bad_no_v': ([x, ('t', F, ['batch', 1])], ('y', F, ['batch', 2]), [helper.make_node('Mul', ['x', 't'], ['y'])], []),
        'bad_cond_free_length': ([x, ('t', F, ['batch', 1]), ('cond', F, ['batch', 'c'])], v, [mul], []),
    }
    for name, (inputs, output, nodes, init) in {**good, **bad}.items():
        tiny_model(os.path.join(d, name + '.onnx'), inputs, output, nodes, init)
    print(f"wrote {len(good) + len(bad)} signature models to {os.path.normpath(d)}")


def fit_and_report(args):
    conditional, steps, batch = args
    p, report = fit(conditional, steps, batch, seed=7 if not conditional else 8)
    report['sampling_endpoint_error_rk4_200'] = endpoint_errors([q.astype(np.float64) for q in p], conditional, seed=3)
    return p, report


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', default=DEFAULT_OUT)
    ap.add_argument('--steps', type=int, default=6000, help='Adam steps per network')
    ap.add_argument('--batch', type=int, default=512)
    ap.add_argument('--signatures-only', action='store_true', help='write only the tiny signature-test models')
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    write_signature_models(args.out)
    if args.signatures_only:
        return
    print(f"onnx {onnx.__version__}, numpy {np.__version__}; fitting two networks with {args.steps} Adam steps each", flush=True)
    with ProcessPoolExecutor(max_workers=2) as pool:
        (pu, ru), (pc, rc) = pool.map(fit_and_report, [(False, args.steps, args.batch), (True, args.steps, args.batch)])
    export(pu, False, os.path.join(args.out, 'gmm2_velocity.onnx'))
    export(pc, True, os.path.join(args.out, 'gmm2_velocity_cond.onnx'))
    doc = {
        'description': 'Test vectors of tools/onnx/make_velocity_model.py: per row, inputs x, t (noise level) and cond '
                       '(one-hot, for the conditional model), the float64 forward pass of the exported float32 weights '
                       '(v_uncond, v_cond) and the exact GMM2 velocity (v_exact_*); fit reports per model.',
        'fit': {'uncond': ru, 'cond': rc},
    }
    doc.update(test_vectors(pu, pc))
    with open(os.path.join(args.out, 'gmm2_velocity.json'), 'w') as fh:
        json.dump(doc, fh, indent=1)
    print(json.dumps(doc['fit'], indent=1))
    for name in ['gmm2_velocity.onnx', 'gmm2_velocity_cond.onnx', 'gmm2_velocity.json']:
        print(f"wrote {os.path.normpath(os.path.join(args.out, name))} ({os.path.getsize(os.path.join(args.out, name))} bytes)")


if __name__ == '__main__':
    main()
