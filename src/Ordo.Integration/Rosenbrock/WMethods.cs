namespace Ordo.Integration;

/// <summary>
/// The Rosenbrock W-methods of Ordo: linearly implicit methods whose order holds for any matrix W in place of the
/// Jacobian (Steihaug and Wolfbrandt, Math. Comp. 33 (1979) 521–534; HW II §IV.7), run by the Rosenbrock engine with
/// the Jacobian (and, while h is unchanged, its LU) kept across steps; see <see cref="RosenbrockMethod"/> for when it is
/// evaluated afresh. The seed's MSRKTASE methods (Calvo, Montijano and Rández, J. Sci. Comput. 2025, arXiv:2407.01785),
/// which that paper shows to be W-methods, are not among them: their coefficients were not available to this project
/// (docs/integration/w-methods.md).
/// </summary>
public static class WMethods
{
    /// <summary>ROS2, the L-stable 2-stage W-method of order 2 (<see cref="RosenbrockTableaus.Ros2"/>).</summary>
    public static RosenbrockMethod Ros2 { get; } = new("ros2", RosenbrockTableaus.Ros2,
        "ROS2 W 2(1) (Verwer et al. 1999; stiff, L-stable): loose tolerances, 1e-2 to 1e-4, with an approximate or reused Jacobian.");

    /// <summary>ROS34PW2, the L-stable stiffly accurate W-method 3(2) (<see cref="RosenbrockTableaus.Ros34pw2"/>).</summary>
    public static RosenbrockMethod Ros34pw2 { get; } = new("ros34pw2", RosenbrockTableaus.Ros34pw2,
        "ROS34PW2 W 3(2) (Rang–Angermann 2005; stiff, L-stable): 1e-3 to 1e-6, with an approximate or reused Jacobian.");

    /// <summary>ROS34PW3, the A-stable W-method 3(2), order 4 with the exact Jacobian (<see cref="RosenbrockTableaus.Ros34pw3"/>).</summary>
    public static RosenbrockMethod Ros34pw3 { get; } = new("ros34pw3", RosenbrockTableaus.Ros34pw3,
        "ROS34PW3 W 3(2) (Rang–Angermann 2005; stiff, A-stable): 1e-3 to 1e-6, with an approximate or reused Jacobian.");

    /// <summary>The three, in order of increasing order.</summary>
    public static IReadOnlyList<RosenbrockMethod> All { get; } = [Ros2, Ros34pw2, Ros34pw3];
}
