namespace T; public class A { [Fact] public void B() { } }
