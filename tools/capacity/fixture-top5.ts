/**
 * Top-5 of the local SqueezeNet model (squeezenet_v1.0_dc, classifier-cpp bootstrap, topK 5) on ../shared/fixtures/images: [classId, confidence] by rank.
 * (classifier-cpp bootstrap run on squirrel.jpg, camera.png, chelsea.png with topK 5; recorded 2026-12-04.)
 */
export const FIXTURE_TOP5: Record<string, [classId: number, confidence: number][]> = {
  'squirrel.jpg': [
    [335, 0.981277],
    [380, 0.013229],
    [378, 0.001903],
    [381, 0.001456],
    [382, 0.000984],
  ],
  'camera.png': [
    [872, 0.970818],
    [523, 0.004562],
    [879, 0.004133],
    [447, 0.002429],
    [699, 0.001831],
  ],
  'chelsea.png': [
    [285, 0.789231],
    [282, 0.107225],
    [281, 0.089868],
    [287, 0.0077],
    [397, 0.003571],
  ],
};
