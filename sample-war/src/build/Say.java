/**
 * Prints its arguments as one line: README's run command ({@code mvn -q ... package exec:exec}) runs it in the parent
 * ("Building the sample...") and after each module the sample needs ("- built ..."), so that what Maven builds quietly
 * is not a silent minute. Java runs it as a single source file.
 */
class Say {

    public static void main(String[] words) {
        System.out.println(String.join(" ", words));
    }
}
