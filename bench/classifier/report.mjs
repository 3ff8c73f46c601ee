// The benchmark's table: warm medians per image, cold-start medians, their C++/Node ratios against the goals,
// the labels each side gave. Returns whether both sides agreed on every top-1 label.
import { basename } from 'node:path';
import { median } from './median.mjs';

const WARM_GOAL = 0.8;
const COLD_GOAL = 0.3;

export function printReport({ settings, warm, cold, runsPerBlock, blocks, load }) {
  const warmRows = settings.images.map((path, index) => warmRow(basename(path), index, warm));
  const coldRow = coldStartRow(cold);
  const agreement = topLabelAgreement(warmRows, cold);
  const lines = [
    ...header(warm, load),
    '',
    ...warmSection(warmRows, runsPerBlock, blocks),
    '',
    ...coldSection(coldRow, warm, settings),
    '',
    ...labelSection(warmRows, agreement),
    '',
    `Goals: warm C++/Node ≤ ${WARM_GOAL} on every image: ${goal(warmRows.every((row) => row.ratio <= WARM_GOAL))}` +
      ` (${warmRows.map((row) => fixed(row.ratio, 2)).join(', ')}); ` +
      `cold C++/Node ≤ ${COLD_GOAL}: ${goal(coldRow.ratio <= COLD_GOAL)} (${fixed(coldRow.ratio, 2)})`,
  ];
  const otherAgreed = !warm.otherNode || otherNodeAgrees(warmRows, warm, cold);
  if (warm.otherNode) lines.push('', ...nodeComparisonSection(settings, warm, cold, otherAgreed));
  console.log(lines.join('\n'));
  return agreement.agreed && otherAgreed;
}

// COMPARE_NODE: the Node side on this process's Node against the same code on another, from the same alternation.
function nodeComparisonSection(settings, warm, cold, agreed) {
  const [here, there] = [warm.node[0].versions.node, warm.otherNode[0].versions.node];
  const warmMs = (reports, index) => median(reports.map((report) => report.images[index].medianMs));
  const coldMs = (samples) => median(samples.map((sample) => sample.coldStartMs));
  const rows = settings.images.map((path, index) => {
    const [a, b] = [warmMs(warm.node, index), warmMs(warm.otherNode, index)];
    return [basename(path), fixed(a), fixed(b), fixed(a / b, 2)];
  });
  const [coldHere, coldThere] = [coldMs(cold.node), coldMs(cold.otherNode)];
  rows.push(['cold start', fixed(coldHere), fixed(coldThere), fixed(coldHere / coldThere, 2)]);
  return [
    `Node side on Node ${here} vs Node ${there} (COMPARE_NODE), same alternation; warm: median of the processes' medians, ms`,
    table(['', `Node ${here}`, `Node ${there}`, 'ratio'], rows),
    `Top-1 labels on Node ${there}: ${agreed ? 'the same as above' : 'DIFFERENT from the C++ side'}.`,
  ];
}

function otherNodeAgrees(warmRows, warm, cold) {
  const warmAgrees = warmRows.every((row, index) => warm.otherNode.every((report) => report.images[index].label === row.cpp.label));
  return warmAgrees && cold.otherNode.every((sample) => sample.response.label === warmRows[0].cpp.label);
}

function header(warm, load) {
  const [cpp, node] = [warm.cpp[0], warm.node[0]];
  const lines = [
    '',
    `Classifier benchmark: ${cpp.model}, 227x227`,
    `  C++ : classifier-cpp (OpenCV DNN, Caffe weights), ${cpp.threads} OpenCV threads`,
    `  Node: onnxruntime-node ${node.versions.onnxruntime} (ONNX export), ${node.threads} intra-op threads ` +
      `(spinning ${node.intraOpSpinning ? 'on, ORT_ALLOW_SPINNING=1' : 'off'}); ` +
      `sharp ${node.versions.sharp} (${node.sharpThreads} libvips thread(s)); Node ${node.versions.node}`,
    '        the ONNX outputs are already softmax probabilities (checked at load), so no softmax is added',
    `  load average (1/5/15 min): ${formatLoad(load.before)} before, ${formatLoad(load.after)} after`,
  ];
  if (cpp.threads !== node.threads) {
    lines.push(`  WARNING: the thread counts differ (${cpp.threads} vs ${node.threads})`);
  }
  return lines;
}

function warmSection(rows, runsPerBlock, blocks) {
  const range = (side) => `${fixed(side.ms)} [${fixed(side.low)}–${fixed(side.high)}]`;
  return [
    'Warm: full handler path (JSON → base64 → decode → preprocess → inference → top-5 → JSON), ms;',
    `${runsPerBlock * blocks} runs per image per side in ${blocks} alternating processes of ${runsPerBlock} ` +
      '(after 3 warm-up runs each); figure = median of the processes\' medians [lowest–highest]',
    table(
      ['image', 'C++', 'Node', 'C++/Node', `goal ≤ ${WARM_GOAL}`, 'C++ decode + infer',
        'Node decode·resize + infer'],
      rows.map((row) => [
        row.image,
        range(row.cpp),
        range(row.node),
        fixed(row.ratio, 2),
        goal(row.ratio <= WARM_GOAL),
        `${fixed(row.cpp.decodeMs)} + ${fixed(row.cpp.inferenceMs)}`,
        `${fixed(row.node.decodeMs)} + ${fixed(row.node.inferenceMs)}`,
      ]),
    ),
  ];
}

function coldSection(row, warm, settings) {
  const line = (name, side, reports) => [
    name,
    fixed(side.ms),
    side.samples.map((ms) => fixed(ms, 0)).join(' '),
    fixed(medianOf(reports, 'modelLoadMs')),
    fixed(medianOf(reports, 'warmUpMs')),
  ];
  return [
    `Cold start: a fresh custom-runtime process per sample (C++ bootstrap / node-bootstrap.mjs), ` +
      `${row.cpp.samples.length} per side alternating;`,
    `spawn → first label posted to a loopback Runtime API (start, model load, warm-up pass, ` +
      `${basename(settings.images[0])}), ms`,
    table(
      ['side', 'median', 'samples', 'model load', 'warm-up pass'],
      [line('C++', row.cpp, warm.cpp), line('Node', row.node, warm.node)],
    ),
    `C++/Node = ${fixed(row.ratio, 2)} (goal ≤ ${COLD_GOAL}: ${goal(row.ratio <= COLD_GOAL)}); ` +
      'model load and warm-up pass: medians of the warm processes, for reference',
    `(classify-bench's own in-process coldStartMs, from its /proc start time: median ` +
      `${fixed(medianOf(warm.cpp, 'coldStartMs'))} ms)`,
  ];
}

function labelSection(rows, agreement) {
  const describe = (side) => `"${side.label}" ${side.confidence.toFixed(6)}`;
  return [
    'Top-1 labels, C++ / Node (confidence):',
    ...rows.map((row) => `  ${row.image.padEnd(14)} ${row.cpp.label === row.node.label ? 'agree   ' : 'DISAGREE'} ` +
      `${describe(row.cpp)} / ${describe(row.node)}`),
    `  largest |Δ confidence| of the top-1: ${agreement.largestDelta.toFixed(4)}; ` +
      `cold-start answers: ${agreement.coldLabels.join(' | ')}`,
    agreement.agreed ? 'Both sides agree on every top-1 label.' : 'The sides DISAGREE on a top-1 label.',
  ];
}

function warmRow(image, index, warm) {
  const side = (reports) => {
    const results = reports.map((report) => report.images[index]);
    const medians = results.map((result) => result.medianMs);
    return {
      ms: median(medians),
      low: Math.min(...medians),
      high: Math.max(...medians),
      decodeMs: median(results.map((result) => result.medianDecodeMs)),
      inferenceMs: median(results.map((result) => result.medianInferenceMs)),
      label: results[0].label,
      labels: new Set(results.map((result) => result.label)),
      confidence: results[0].confidence,
    };
  };
  const [cpp, node] = [side(warm.cpp), side(warm.node)];
  return { image, cpp, node, ratio: cpp.ms / node.ms };
}

function coldStartRow(cold) {
  const side = (samples) => {
    const times = samples.map((sample) => sample.coldStartMs);
    return { ms: median(times), samples: times };
  };
  const [cpp, node] = [side(cold.cpp), side(cold.node)];
  return { cpp, node, ratio: cpp.ms / node.ms };
}

// Every process of both sides must give the same top-1 label per image, the cold starts included.
function topLabelAgreement(warmRows, cold) {
  const coldLabels = [...new Set([...cold.cpp, ...cold.node].map((sample) => sample.response.label))];
  const warmAgreed = warmRows.every((row) => new Set([...row.cpp.labels, ...row.node.labels]).size === 1);
  const coldAgreed = coldLabels.length === 1 && coldLabels[0] === warmRows[0].cpp.label;
  const largestDelta = Math.max(...warmRows.map((row) => Math.abs(row.cpp.confidence - row.node.confidence)));
  return { agreed: warmAgreed && coldAgreed, coldLabels, largestDelta };
}

function medianOf(reports, key) {
  return median(reports.map((report) => report[key]));
}

function table(header, rows) {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const format = (row) => `  ${row.map((cell, column) => cell.padEnd(widths[column])).join('  ')}`.trimEnd();
  return [format(header), ...rows.map(format)].join('\n');
}

function goal(met) {
  return met ? 'met' : 'not met';
}

function fixed(value, decimals = 1) {
  return value.toFixed(decimals);
}

function formatLoad(load) {
  return load.map((value) => value.toFixed(2)).join('/');
}
