// The benchmark's table: warm medians per image, cold-start medians, their C++/Node ratios against the goals,
// the labels each side gave. Returns whether both sides agreed on every top-1 label.
import { basename } from 'node:path';
import { median } from './median.mjs';

const WARM_GOAL = 1.0;
const JPEG_WARM_GOAL = 0.9;
const COLD_GOAL = 0.3;

// One block of tables per thread count, then the labels and a summary of every ratio against its goal.
export function printReport({ settings, results, runsPerBlock, blocks, load }) {
  const measured = results.map(({ threads, warm, cold }) => {
    const warmRows = settings.images.map((path, index) => warmRow(basename(path), index, warm));
    return { threads, warm, cold, warmRows, coldRow: coldStartRow(cold) };
  });
  const agreements = measured.map(({ warmRows, cold }) => topLabelAgreement(warmRows, cold));
  const lines = [...header(measured, load)];
  for (const { threads, warm, warmRows, coldRow } of measured) {
    lines.push('', `== ${threads} thread(s) on each side`, '');
    lines.push(...warmSection(warmRows, runsPerBlock, blocks), '', ...coldSection(coldRow, warm, settings));
  }
  lines.push('', ...labelSection(measured[0].warmRows, agreements), '', ...goalSection(measured));
  console.log(lines.join('\n'));
  return agreements.every((agreement) => agreement.agreed);
}

function warmGoal(image) {
  return /\.jpe?g$/i.test(image) ? JPEG_WARM_GOAL : WARM_GOAL;
}

function header(measured, load) {
  const [cpp, node] = [measured[0].warm.cpp[0], measured[0].warm.node[0]];
  const lines = [
    '',
    `Classifier benchmark: ${cpp.model}, 227x227, at ${measured.map((result) => result.threads).join(' and ')} ` +
      'thread(s)',
    `  C++ : classifier-cpp (OpenCV DNN, Caffe weights): ${cpp.opencvBuild ?? `OpenCV ${cpp.opencvVersion}`}`,
    `  Node: onnxruntime-node ${node.versions.onnxruntime} (ONNX export), inter-op 1 ` +
      `(spinning ${node.intraOpSpinning ? 'on, ORT_ALLOW_SPINNING=1' : 'off'}); ` +
      `sharp ${node.versions.sharp} (${node.sharpThreads} libvips thread(s)); Node ${node.versions.node}`,
    '        the ONNX outputs are already softmax probabilities (checked at load), so no softmax is added',
    `  load average (1/5/15 min): ${formatLoad(load.before)} before, ${formatLoad(load.after)} after`,
  ];
  for (const { threads, warm } of measured) {
    const [cppThreads, nodeThreads] = [warm.cpp[0].threads, warm.node[0].threads];
    if (cppThreads !== threads || nodeThreads !== threads) {
      lines.push(`  WARNING: asked for ${threads} thread(s), got C++ ${cppThreads} and Node ${nodeThreads}`);
    }
  }
  return lines;
}

function goalSection(measured) {
  const images = measured[0].warmRows.map((row) => row.image);
  const cell = (ratio, target) => `${fixed(ratio, 2)} ${ratio <= target ? 'met' : 'NOT met'}`;
  return [
    `Goals, C++/Node: warm ≤ ${WARM_GOAL} on every image and ≤ ${JPEG_WARM_GOAL} on the JPEG; cold ≤ ${COLD_GOAL}`,
    '(warm: wall-time ratio; in brackets the CPU-time ratio per request, which other load on the machine distorts less)',
    table(
      ['threads', ...images.map((image) => `${image} (≤ ${warmGoal(image)})`), `cold start (≤ ${COLD_GOAL})`],
      measured.map(({ threads, warmRows, coldRow }) => [
        String(threads),
        ...warmRows.map((row) => `${cell(row.ratio, warmGoal(row.image))} (CPU ${fixed(row.cpuRatio, 2)})`),
        cell(coldRow.ratio, COLD_GOAL),
      ]),
    ),
  ];
}

function warmSection(rows, runsPerBlock, blocks) {
  const range = (side) => `${fixed(side.ms)} [${fixed(side.low)}–${fixed(side.high)}]`;
  return [
    'Warm: full handler path (JSON → base64 → decode → preprocess → inference → top-5 → JSON), ms;',
    `${runsPerBlock * blocks} runs per image per side in ${blocks} alternating processes of ${runsPerBlock} ` +
      "(after 3 warm-up runs each); figure = median of the processes' medians [lowest–highest]",
    table(
      [
        'image',
        'C++',
        'Node',
        'C++/Node',
        'goal',
        'CPU ms C++ / Node',
        'CPU ratio',
        'C++ decode + infer',
        'Node decode·resize + infer',
      ],
      rows.map((row) => [
        row.image,
        range(row.cpp),
        range(row.node),
        fixed(row.ratio, 2),
        `≤ ${warmGoal(row.image)}: ${goal(row.ratio <= warmGoal(row.image))}`,
        `${fixed(row.cpp.cpuMs)} / ${fixed(row.node.cpuMs)}`,
        fixed(row.cpuRatio, 2),
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

function labelSection(rows, agreements) {
  const describe = (side) => `"${side.label}" ${side.confidence.toFixed(6)}`;
  const agreed = agreements.every((agreement) => agreement.agreed);
  return [
    'Top-1 labels, C++ / Node (confidence):',
    ...rows.map(
      (row) =>
        `  ${row.image.padEnd(14)} ${row.cpp.label === row.node.label ? 'agree   ' : 'DISAGREE'} ` +
        `${describe(row.cpp)} / ${describe(row.node)}`,
    ),
    `  largest |Δ confidence| of the top-1: ${Math.max(...agreements.map((a) => a.largestDelta)).toFixed(4)}; ` +
      `cold-start answers: ${[...new Set(agreements.flatMap((a) => a.coldLabels))].join(' | ')}`,
    agreed ? 'Both sides agree on every top-1 label, at every thread count.' : 'The sides DISAGREE on a top-1 label.',
  ];
}

function warmRow(image, index, warm) {
  const side = (reports) => {
    const results = reports.map((report) => report.images[index]);
    const medians = results.map((result) => result.medianMs);
    return {
      ms: median(medians),
      cpuMs: median(results.map((result) => result.medianCpuMs)),
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
  return { image, cpp, node, ratio: cpp.ms / node.ms, cpuRatio: cpp.cpuMs / node.cpuMs };
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
