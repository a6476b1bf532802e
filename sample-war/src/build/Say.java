/**
 * Prints its arguments as one line: README's run command ({@code mvn -q ... package exec:exec}) runs it first (from the
 * parent pom), so that what Maven then builds quietly is not a silent minute. Java runs it as a single source file.
 */
class Say {

    public static void main(String[] words) {
        System.out.println(String.join(" ", words));
    }
}
